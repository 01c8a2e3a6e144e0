#include "chat/growing_text.h"

#include <QAbstractTextDocumentLayout>
#include <QScrollBar>
#include <QTextCursor>

namespace slipway::ui {

GrowingText::GrowingText(QWidget *parent) : QTextBrowser(parent) {
    setFrameShape(QFrame::NoFrame);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setOpenLinks(false);
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    document()->setDocumentMargin(2);
    viewport()->setAutoFillBackground(false);
    setAutoFillBackground(false);
    setStyleSheet(QStringLiteral("QTextBrowser { background: transparent; }"));
    connect(document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged, this,
            [this] { fitHeight(); });
    fitHeight();
}

void GrowingText::setText(const QString &text) {
    if (text == m_text) return;
    if (!m_text.isEmpty() && text.size() > m_text.size() && text.startsWith(m_text)) {
        QTextCursor cursor(document());
        cursor.movePosition(QTextCursor::End);
        cursor.insertText(text.mid(m_text.size()));
    } else {
        setPlainText(text);
    }
    m_text = text;
}

QSize GrowingText::sizeHint() const {
    const int height = qCeil(document()->size().height()) + 2 * frameWidth();
    return {QTextBrowser::sizeHint().width(), qMax(height, fontMetrics().height())};
}

QSize GrowingText::minimumSizeHint() const { return {50, sizeHint().height()}; }

void GrowingText::fitHeight() {
    const int height = sizeHint().height();
    if (height != this->height()) setFixedHeight(height);
}

} // namespace slipway::ui

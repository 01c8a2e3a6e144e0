#include "logs/log_view.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QTextLayout>
#include <algorithm>

#include "logs/log_model.h"

namespace slipway::ui {

namespace {

constexpr int kMargin = 4;
constexpr int kMaxCachedHeights = 20000;

QColor searchColor(const QPalette &palette, bool current) {
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    if (current) return dark ? QColor(0xd9, 0x7a, 0x00) : QColor(0xff, 0x9e, 0x2c);
    return dark ? QColor(0x7a, 0x6a, 0x00) : QColor(0xff, 0xe8, 0x6b);
}

} // namespace

LogView::LogView(QWidget *parent) : QAbstractScrollArea(parent) {
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    viewport()->setAutoFillBackground(true);
    viewport()->setBackgroundRole(QPalette::Base);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        if (m_adjusting) return;
        const bool atEnd = value >= verticalScrollBar()->maximum();
        if (atEnd != m_follow) {
            m_follow = atEnd;
            emit followChanged(m_follow);
        }
    });
}

void LogView::setModel(LogModel *model) {
    if (m_model == model) return;
    if (m_model) disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    m_hasSelection = false;
    m_hasCurrentMatch = false;
    m_wrappedLines.clear();
    if (m_model) {
        connect(m_model, &LogModel::rowsAboutToBeRemoved, this,
                [this](const QModelIndex &, int first, int last) { onRowsAboutToBeRemoved(first, last); });
        connect(m_model, &LogModel::rowsInserted, this, [this] { onRowsInserted(); });
        connect(m_model, &LogModel::modelReset, this, [this] { onModelReset(); });
        connect(m_model, &LogModel::searchMatchesChanged, viewport(), qOverload<>(&QWidget::update));
    }
    updateScrollBars();
    viewport()->update();
    emit selectionChanged();
}

void LogView::setWrap(bool wrap) {
    if (wrap == m_wrap) return;
    m_wrap = wrap;
    setHorizontalScrollBarPolicy(wrap ? Qt::ScrollBarAlwaysOff : Qt::ScrollBarAsNeeded);
    const int top = topRow();
    updateScrollBars();
    if (!m_follow) setScrollValue(top);
    viewport()->update();
}

void LogView::setShowTimestamps(bool show) {
    if (show == m_timestamps) return;
    m_timestamps = show;
    m_wrappedLines.clear();
    updateScrollBars();
    viewport()->update();
}

void LogView::setFollow(bool follow) {
    if (follow == m_follow) return;
    m_follow = follow;
    if (m_follow) setScrollValue(verticalScrollBar()->maximum());
    emit followChanged(m_follow);
}

void LogView::setScrollValue(int value) {
    m_adjusting = true;
    verticalScrollBar()->setValue(value);
    m_adjusting = false;
    viewport()->update();
}

int LogView::topRow() const { return verticalScrollBar()->value(); }

int LogView::textLeft() const {
    const QFontMetrics fm(font());
    return kMargin + (m_timestamps ? fm.horizontalAdvance(QStringLiteral("00:00:00.000 ")) : 0);
}

int LogView::textWidth() const { return std::max(40, viewport()->width() - textLeft() - kMargin); }

void LogView::layoutRow(QTextLayout &layout, int row, int width, const QList<QTextLayout::FormatRange> &formats) const {
    layout.setText(m_model->lineAt(row).text);
    layout.setFormats(formats);
    layout.setFont(font());
    QTextOption option;
    option.setWrapMode(m_wrap ? QTextOption::WrapAtWordBoundaryOrAnywhere : QTextOption::NoWrap);
    layout.setTextOption(option);
    layout.setCacheEnabled(true);
    layout.beginLayout();
    for (;;) {
        QTextLine line = layout.createLine();
        if (!line.isValid()) break;
        if (m_wrap) line.setLineWidth(width);
    }
    layout.endLayout();
}

int LogView::rowHeight(int row) const {
    const int lineHeight = QFontMetrics(font()).lineSpacing();
    if (!m_wrap) return lineHeight;
    const int width = textWidth();
    if (width != m_wrapWidth || m_wrappedLines.size() > kMaxCachedHeights) {
        m_wrappedLines.clear();
        m_wrapWidth = width;
    }
    const quint64 seq = m_model->sequenceAt(row);
    auto it = m_wrappedLines.constFind(seq);
    if (it == m_wrappedLines.constEnd()) {
        QTextLayout layout;
        layoutRow(layout, row, width);
        it = m_wrappedLines.insert(seq, std::max(1, layout.lineCount()));
    }
    return it.value() * lineHeight;
}

int LogView::lastTopRow() const {
    const int rows = m_model ? m_model->rowCount() : 0;
    if (rows == 0) return 0;
    const int available = viewport()->height();
    if (!m_wrap) return std::max(0, rows - std::max(1, available / QFontMetrics(font()).lineSpacing()));
    int used = 0;
    for (int row = rows - 1; row >= 0; --row) {
        used += rowHeight(row);
        if (used > available) return std::min(row + 1, rows - 1);
    }
    return 0;
}

int LogView::visibleRowCount() const {
    if (!m_model) return 0;
    int used = 0, count = 0;
    for (int row = topRow(); row < m_model->rowCount() && used < viewport()->height(); ++row, ++count) {
        used += rowHeight(row);
    }
    return count;
}

void LogView::updateScrollBars() {
    const int lineHeight = QFontMetrics(font()).lineSpacing();
    m_adjusting = true;
    QScrollBar *v = verticalScrollBar();
    v->setRange(0, lastTopRow());
    v->setPageStep(std::max(1, viewport()->height() / lineHeight - 1));
    v->setSingleStep(1);
    if (m_follow) v->setValue(v->maximum());
    QScrollBar *h = horizontalScrollBar();
    if (m_wrap || !m_model) {
        h->setRange(0, 0);
    } else {
        const int charWidth = QFontMetrics(font()).horizontalAdvance(QLatin1Char('0'));
        const int contentWidth = textLeft() + m_model->longestLineLength() * charWidth + kMargin;
        h->setRange(0, std::max(0, contentWidth - viewport()->width()));
        h->setPageStep(viewport()->width());
        h->setSingleStep(charWidth * 4);
    }
    m_adjusting = false;
}

void LogView::onRowsAboutToBeRemoved(int first, int last) {
    // Old lines leave at the front: keep the lines on screen where they are.
    const int removed = last - first + 1;
    if (!m_follow && first == 0) {
        const int top = std::max(0, topRow() - removed);
        m_adjusting = true;
        verticalScrollBar()->setValue(top);
        m_adjusting = false;
    }
}

void LogView::onRowsInserted() {
    const int top = topRow();
    updateScrollBars();
    if (!m_follow) setScrollValue(std::min(top, verticalScrollBar()->maximum()));
    viewport()->update();
}

void LogView::onModelReset() {
    m_hasSelection = false;
    m_wrappedLines.clear();
    updateScrollBars();
    if (m_hasCurrentMatch && m_model && m_model->rowForSequence(m_currentMatch) >= 0) {
        scrollToRow(m_model->rowForSequence(m_currentMatch));
    }
    viewport()->update();
    emit selectionChanged();
}

void LogView::scrollToRow(int row) {
    if (!m_model || row < 0 || row >= m_model->rowCount()) return;
    const int top = topRow();
    const int shown = visibleRowCount();
    if (row >= top && row < top + std::max(1, shown - 1)) return;
    if (m_follow) {
        m_follow = false;
        emit followChanged(false);
    }
    const int lineHeight = QFontMetrics(font()).lineSpacing();
    const int newTop = std::max(0, row - viewport()->height() / lineHeight / 2);
    setScrollValue(std::min(newTop, verticalScrollBar()->maximum()));
}

void LogView::setCurrentMatchRow(int row) {
    m_hasCurrentMatch = m_model && row >= 0 && row < m_model->rowCount();
    if (m_hasCurrentMatch) {
        m_currentMatch = m_model->sequenceAt(row);
        scrollToRow(row);
    }
    viewport()->update();
}

int LogView::currentMatchRow() const {
    return m_hasCurrentMatch && m_model ? m_model->rowForSequence(m_currentMatch) : -1;
}

bool LogView::hasSelection() const { return m_hasSelection && m_model && m_model->rowCount() > 0; }

int LogView::selectionFirst() const {
    if (!hasSelection()) return -1;
    return std::max(0, m_model->rowForSequence(std::max(std::min(m_anchor, m_cursor), m_model->sequenceAt(0))));
}

int LogView::selectionLast() const {
    if (!hasSelection()) return -1;
    const quint64 last = std::max(m_anchor, m_cursor);
    if (last < m_model->sequenceAt(0)) return -1;
    return m_model->rowForSequence(last);
}

void LogView::selectRows(int first, int last) {
    if (!m_model || m_model->rowCount() == 0) return;
    first = std::clamp(first, 0, m_model->rowCount() - 1);
    last = std::clamp(last, 0, m_model->rowCount() - 1);
    m_anchor = m_model->sequenceAt(first);
    m_cursor = m_model->sequenceAt(last);
    m_hasSelection = true;
    viewport()->update();
    emit selectionChanged();
}

void LogView::selectAll() {
    if (m_model) selectRows(0, m_model->rowCount() - 1);
}

void LogView::clearSelection() {
    m_hasSelection = false;
    viewport()->update();
    emit selectionChanged();
}

QString LogView::selectedText() const {
    const int first = selectionFirst(), last = selectionLast();
    if (first < 0 || last < first) return {};
    return m_model->text(first, last, m_timestamps);
}

int LogView::rowAt(int y) const {
    if (!m_model) return -1;
    int top = 0;
    for (int row = topRow(); row < m_model->rowCount(); ++row) {
        top += rowHeight(row);
        if (y < top) return row;
        if (top > viewport()->height()) break;
    }
    return m_model->rowCount() - 1;
}

void LogView::paintEvent(QPaintEvent *) {
    QPainter painter(viewport());
    if (!m_model) return;
    painter.setFont(font());
    const QPalette &pal = palette();
    const QFontMetrics fm(font());
    const int lineHeight = fm.lineSpacing();
    const int xOffset = m_wrap ? 0 : -horizontalScrollBar()->value();
    const int width = textWidth();
    const int rows = m_model->rowCount();
    const int selFirst = selectionFirst(), selLast = selectionLast();
    const int matchRow = currentMatchRow();
    const LogMatcher &search = m_model->search();

    int y = 0;
    for (int row = topRow(); row < rows && y < viewport()->height(); ++row) {
        const QString &text = m_model->lineAt(row).text;
        QList<QTextLayout::FormatRange> formats;
        if (search.isActive()) {
            for (const auto &span : search.spans(text)) {
                QTextLayout::FormatRange range;
                range.start = span.first;
                range.length = span.second;
                range.format.setBackground(searchColor(pal, row == matchRow));
                range.format.setForeground(QColor(Qt::black));
                formats.append(range);
            }
        }
        QTextLayout layout;
        layoutRow(layout, row, width, formats);
        const int height = std::max(1, layout.lineCount()) * lineHeight;
        const bool selected = row >= selFirst && row <= selLast && selFirst >= 0;
        if (selected) painter.fillRect(QRect(0, y, viewport()->width(), height), pal.color(QPalette::Highlight));
        if (m_timestamps) {
            painter.setPen(selected ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::PlaceholderText));
            painter.drawText(kMargin + xOffset, y + fm.ascent(), LogModel::timestampText(m_model->lineAt(row).arrivalMs));
        }
        painter.setPen(selected ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::Text));
        layout.draw(&painter, QPointF(textLeft() + xOffset, y));
        y += height;
    }
}

void LogView::resizeEvent(QResizeEvent *event) {
    QAbstractScrollArea::resizeEvent(event);
    const int top = topRow();
    updateScrollBars();
    if (!m_follow) setScrollValue(std::min(top, verticalScrollBar()->maximum()));
}

void LogView::scrollContentsBy(int, int) { viewport()->update(); }

void LogView::mousePressEvent(QMouseEvent *event) {
    if (event->button() != Qt::LeftButton || !m_model) return QAbstractScrollArea::mousePressEvent(event);
    const int row = rowAt(event->position().toPoint().y());
    if (row < 0) return;
    if ((event->modifiers() & Qt::ShiftModifier) && m_hasSelection) {
        m_cursor = m_model->sequenceAt(row);
    } else {
        m_anchor = m_cursor = m_model->sequenceAt(row);
        m_hasSelection = true;
    }
    viewport()->update();
    emit selectionChanged();
}

void LogView::mouseMoveEvent(QMouseEvent *event) {
    if (!(event->buttons() & Qt::LeftButton) || !m_hasSelection || !m_model) return;
    const int y = event->position().toPoint().y();
    if (y < 0) verticalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepSub);
    if (y > viewport()->height()) verticalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepAdd);
    const int row = rowAt(std::clamp(y, 0, viewport()->height() - 1));
    if (row < 0) return;
    m_cursor = m_model->sequenceAt(row);
    viewport()->update();
    emit selectionChanged();
}

void LogView::keyPressEvent(QKeyEvent *event) {
    if (event->matches(QKeySequence::Copy)) {
        if (hasSelection()) QApplication::clipboard()->setText(selectedText());
        return;
    }
    if (event->matches(QKeySequence::SelectAll)) return selectAll();
    QScrollBar *v = verticalScrollBar();
    switch (event->key()) {
    case Qt::Key_Up: v->triggerAction(QAbstractSlider::SliderSingleStepSub); return;
    case Qt::Key_Down: v->triggerAction(QAbstractSlider::SliderSingleStepAdd); return;
    case Qt::Key_PageUp: v->triggerAction(QAbstractSlider::SliderPageStepSub); return;
    case Qt::Key_PageDown: v->triggerAction(QAbstractSlider::SliderPageStepAdd); return;
    case Qt::Key_Home: v->triggerAction(QAbstractSlider::SliderToMinimum); return;
    case Qt::Key_End: setFollow(true); return;
    case Qt::Key_Escape: clearSelection(); return;
    default: QAbstractScrollArea::keyPressEvent(event);
    }
}

void LogView::changeEvent(QEvent *event) {
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        m_wrappedLines.clear();
        updateScrollBars();
    }
}

} // namespace slipway::ui

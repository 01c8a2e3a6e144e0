#pragma once
// A read-only, selectable text block whose height follows its content (no inner scroll bar), for
// text that grows while a reply streams: setText() appends the new tail when the text only grew,
// so a long reply is not laid out again from the start on every update.
//
// Thread-safety: GUI thread only.
#include <QTextBrowser>

namespace slipway::ui {

class GrowingText final : public QTextBrowser {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GrowingText)

public:
    explicit GrowingText(QWidget *parent = nullptr);

    void setText(const QString &text);
    const QString &text() const { return m_text; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

private:
    void fitHeight();

    QString m_text;
};

} // namespace slipway::ui

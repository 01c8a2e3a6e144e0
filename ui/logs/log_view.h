#pragma once
// A viewport-painted view of a LogModel, built so that 100k lines never stall the GUI: it paints
// only the rows on screen and never asks for the size of every row (which QListView does when
// rows differ in height, as wrapped lines do).
//
// Scrolling is by whole rows: the vertical scroll bar's value is the first row shown, and its
// maximum is the first row of the last screenful. With wrapping on (the default) a row may take
// several screen lines; with it off the horizontal scroll bar spans the longest line.
// Selection is by whole rows (click, shift-click, drag, Ctrl+A); Ctrl+C copies it.
//
// Thread-safety: GUI thread only.
#include <QAbstractScrollArea>
#include <QHash>
#include <QPointer>
#include <QTextLayout>


namespace slipway::ui {

class LogModel;

class LogView final : public QAbstractScrollArea {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogView)

public:
    explicit LogView(QWidget *parent = nullptr);

    void setModel(LogModel *model);  // not owned
    LogModel *model() const { return m_model; }

    bool wrap() const { return m_wrap; }
    void setWrap(bool wrap);
    bool showTimestamps() const { return m_timestamps; }
    void setShowTimestamps(bool show);

    // Following keeps the newest line in view as lines arrive. Scrolling up turns it off;
    // scrolling back to the end (or End) turns it on.
    bool follow() const { return m_follow; }
    void setFollow(bool follow);

    int topRow() const;
    int visibleRowCount() const;  // rows at least partly on screen from topRow()
    // Scrolls so that `row` is on screen (near the middle when it was not).
    void scrollToRow(int row);

    // The search match that next/previous moved to: painted apart and scrolled into view.
    void setCurrentMatchRow(int row);
    int currentMatchRow() const;

    bool hasSelection() const;
    int selectionFirst() const;  // -1 without a selection
    int selectionLast() const;
    void selectRows(int first, int last);
    void selectAll();
    void clearSelection();
    // The selected rows as text, as shown (with timestamps when they are on).
    QString selectedText() const;

signals:
    void followChanged(bool follow);
    void selectionChanged();

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateScrollBars();
    int lastTopRow() const;
    int rowHeight(int row) const;
    int rowAt(int y) const;
    int textLeft() const;
    int textWidth() const;
    void layoutRow(QTextLayout &layout, int row, int width, const QList<QTextLayout::FormatRange> &formats = {}) const;
    void onRowsAboutToBeRemoved(int first, int last);
    void onRowsInserted();
    void onModelReset();
    void setScrollValue(int value);

    QPointer<LogModel> m_model;
    bool m_wrap = true;
    bool m_timestamps = false;
    bool m_follow = true;
    bool m_adjusting = false;       // we move the scroll bar, not the user
    bool m_hasSelection = false;
    quint64 m_anchor = 0;           // selection ends, as line sequences (stable while rows shift)
    quint64 m_cursor = 0;
    bool m_hasCurrentMatch = false;
    quint64 m_currentMatch = 0;
    mutable QHash<quint64, int> m_wrappedLines;  // screen lines per sequence at m_wrapWidth
    mutable int m_wrapWidth = -1;
};

} // namespace slipway::ui

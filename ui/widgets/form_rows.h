#pragma once
// Turning a QFormLayout row on and off. Qt 6.4's QFormLayout writes past an array in
// heightForWidth when it has hidden rows (seen under valgrind in the Deploy wizard: heap
// corruption and crashes, with setRowVisible and with hidden field widgets alike), so a row that
// does not apply is shown disabled instead of hidden.
class QFormLayout;
class QWidget;

namespace slipway::ui {

void setFormRowShown(QFormLayout *form, QWidget *field, bool shown);

} // namespace slipway::ui

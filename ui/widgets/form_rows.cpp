#include "widgets/form_rows.h"

#include <QFormLayout>
#include <QWidget>

namespace slipway::ui {

void setFormRowShown(QFormLayout *form, QWidget *field, bool shown)
{
    if (!form || !field)
        return;
    field->setEnabled(shown);
    if (QWidget *label = form->labelForField(field))
        label->setEnabled(shown);
}

} // namespace slipway::ui

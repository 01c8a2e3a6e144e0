#pragma once
// Core's texts (common/message.h) in the console's language. Core writes English with a stable
// code and its arguments; this class maps each code to a tr() template with the same %1 … %9, so
// lupdate collects them and Linguist translates them like any other string. A code the console
// does not know yet shows core's English, so nothing is ever hidden.
#include "common/message.h"
#include "common/result.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <string_view>
#include <vector>

namespace slipway::ui {

class CoreMessages final {
    Q_DECLARE_TR_FUNCTIONS(CoreMessages)

public:
    static QString text(const Message &message);
    // Clauses read side by side (a figure's formula).
    static QString text(const std::vector<Message> &parts);
    static QString text(const Error &error);
    static QStringList texts(const std::vector<Message> &messages);

    // Whether the console has a template for `code`, and its English source (empty when none):
    // the tests check both against core's lists of templates.
    static bool knows(std::string_view code);
    static QString source(std::string_view code);
    // Every code the console translates.
    static std::vector<std::string_view> codes();
};

} // namespace slipway::ui

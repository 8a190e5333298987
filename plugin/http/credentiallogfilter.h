#pragma once

#include <QLoggingCategory>

namespace Pyrite::Internal {

// Keeps the debug output of Qt HTTP Server off, whatever QT_LOGGING_RULES says: it prints every
// request with its headers, and so the stream token of each Authorization header and "?token=".
// Installed while the plugin runs (a process-wide category filter that chains to the one before);
// one at a time.
class CredentialLogFilter
{
    Q_DISABLE_COPY(CredentialLogFilter)

public:
    CredentialLogFilter();
    ~CredentialLogFilter();

    // Whether messages of this category at this level could carry credentials.
    static bool isSuppressed(const char *categoryName, QtMsgType type);

private:
    static void filter(QLoggingCategory *category);
    static QLoggingCategory::CategoryFilter s_previous;
};

} // namespace Pyrite::Internal

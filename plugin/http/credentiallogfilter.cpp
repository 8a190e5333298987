#include "credentiallogfilter.h"

#include <cstring>

namespace Pyrite::Internal {

QLoggingCategory::CategoryFilter CredentialLogFilter::s_previous = nullptr;

CredentialLogFilter::CredentialLogFilter()
{
    s_previous = QLoggingCategory::installFilter(&CredentialLogFilter::filter);
}

CredentialLogFilter::~CredentialLogFilter()
{
    // Hand back to the filter before; the categories are judged again without this one. (This
    // code goes away with the plugin, so the filter must not stay installed.)
    const QLoggingCategory::CategoryFilter current = QLoggingCategory::installFilter(s_previous);
    if (current != &CredentialLogFilter::filter)
        qWarning("pyrite-eventbus: a logging filter installed after the plugin's was removed");
    s_previous = nullptr;
}

bool CredentialLogFilter::isSuppressed(const char *categoryName, QtMsgType type)
{
    return type == QtDebugMsg && std::strncmp(categoryName, "qt.httpserver", 13) == 0;
}

void CredentialLogFilter::filter(QLoggingCategory *category)
{
    if (s_previous)
        s_previous(category);
    if (isSuppressed(category->categoryName(), QtDebugMsg))
        category->setEnabled(QtDebugMsg, false);
}

} // namespace Pyrite::Internal

#include "eventfilter.h"

#include "bustr.h"

#include "event.h"

#include <QCoreApplication>

#include <algorithm>

namespace Pyrite {

namespace {
bool isPatternCharacter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'.' || c == u'_' ||
            c == u'*';
}
} // namespace

bool EventFilter::isValidPattern(QStringView pattern, QString *errorString)
{
    QString problem;
    if (pattern.isEmpty())
        problem = BusTr::tr("an event type pattern must not be empty");
    else if (pattern.size() > MaxPatternLength)
        problem =
                BusTr::tr("event type pattern is longer than %1 characters").arg(MaxPatternLength);
    else if (!std::all_of(pattern.begin(), pattern.end(), isPatternCharacter))
        problem = BusTr::tr("event type pattern \"%1\" may only contain a-z, 0-9, '.', '_' and '*'")
                          .arg(pattern.toString());
    else if (pattern.contains(u"**"))
        problem =
                BusTr::tr("event type pattern \"%1\" has \"**\"; one '*' already matches any text")
                        .arg(pattern.toString());
    if (problem.isEmpty())
        return true;
    if (errorString)
        *errorString = problem;
    return false;
}

bool EventFilter::setTypePatterns(const QStringList &patterns, QString *errorString)
{
    for (const QString &pattern : patterns) {
        if (!isValidPattern(pattern, errorString))
            return false;
    }
    m_typePatterns = patterns.isEmpty() ? QStringList{QStringLiteral("*")} : patterns;
    m_typePatterns.removeDuplicates();
    return true;
}

// Glob match where '*' stands for any run of characters (including none and including dots).
bool EventFilter::patternMatches(QStringView pattern, QStringView type)
{
    qsizetype p = 0, t = 0, star = -1, resume = 0;
    while (t < type.size()) {
        if (p < pattern.size() && pattern[p] == u'*') {
            star = p++;
            resume = t;
        } else if (p < pattern.size() && pattern[p] == type[t]) {
            ++p;
            ++t;
        } else if (star >= 0) {
            p = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == u'*')
        ++p;
    return p == pattern.size();
}

bool EventFilter::matchesType(QStringView type) const
{
    return std::any_of(m_typePatterns.cbegin(), m_typePatterns.cend(),
                       [type](const QString &pattern) { return patternMatches(pattern, type); });
}

bool EventFilter::matches(const Event &event) const
{
    if (!m_kb.isEmpty() && m_kb != event.kb())
        return false;
    if (!m_entryType.isEmpty() && m_entryType != event.entryType())
        return false;
    if (!m_entryId.isEmpty() && m_entryId != event.entryId())
        return false;
    return matchesType(event.type());
}

} // namespace Pyrite

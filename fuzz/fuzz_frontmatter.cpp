// libFuzzer target: any bytes as a markdown entry of a KB folder (watch mode and the graph read
// them). Parsing must either give an entry with a non-empty id and type, or fail with one line
// that names the file, and never crash or hang on binary data, broken YAML or odd nesting.

#include "frontmatter.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Pyrite;
    const QByteArray content(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString fileName = QStringLiteral("kb/entry.md");
    KbEntry entry;
    QString error;
    if (!FrontMatter::parse(content, fileName, QStringLiteral("entry"), &entry, &error)) {
        if (!error.startsWith(fileName) || error.contains(u'\n'))
            std::abort();
        return 0;
    }
    if (entry.id.isEmpty() || entry.type.isEmpty() || entry.title.isEmpty())
        std::abort();
    for (const QVariant &link : std::as_const(entry.links)) {
        if (link.toMap().value(QStringLiteral("target")).toString().isEmpty())
            std::abort();
    }
    (void)entry.toVariantMap();
    return 0;
}

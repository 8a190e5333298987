// Watch mode's first scan (live graph issue): a KB of 10,000 markdown entries read by KbScanner
// alone, and by KbWatcher with the real event bus plugin behind the hook registry (before_index per
// entry, then kb.indexed into the event log). Target: >= 5,000 files/s. The files were just
// written, so they come from the page cache: the figure is parsing and hook work, not the disk.

#include "hookregistry.h"
#include "kbscanner.h"
#include "kbwatcher.h"
#include "loadedplugin.h"
#include "testfiles.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTemporaryDir>

#include <cstdio>

using namespace Pyrite;

namespace {

QByteArray entryText(int n)
{
    QByteArray text = "---\nid: entry-" + QByteArray::number(n) + "\ntitle: \"Entry number " +
            QByteArray::number(n) + " about event buses\"\ntype: " +
            (n % 3 == 0           ? "paper"
                     : n % 3 == 1 ? "note"
                                  : "topic") +
            "\ntags: [events, bench, group-" + QByteArray::number(n % 20) + "]\nlinks:\n";
    for (int k = 1; k <= 3; ++k) {
        text += "  - target: entry-" + QByteArray::number((n * 7 + k * 13) % 10000) +
                "\n    relation: related\n";
    }
    text += "created: 2026-11-25\n---\n# Entry " + QByteArray::number(n) + "\n\n";
    for (int line = 0; line < 12; ++line)
        text += "A paragraph of body text that the scanner reads but does not parse. ";
    return text + '\n';
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("*.info=false\npyrite.*.warning=false"));
    const int files = argc > 1 ? std::max(100, atoi(argv[1])) : 10000;
    QTemporaryDir dir;
    for (int n = 0; n < files; ++n) {
        // Spread over folders as a real KB is.
        writeFile(dir.filePath(QStringLiteral("kb/topic-%1/entry-%2.md").arg(n % 25).arg(n)),
                  entryText(n));
    }
    std::printf("watch_scan_files: %d files\n", files);

    QElapsedTimer timer;
    timer.start();
    const KbScanner::Result scan = KbScanner::scan(dir.filePath(QStringLiteral("kb")));
    const double scanSeconds = timer.nsecsElapsed() / 1e9;
    if (scan.files.size() != files || !scan.problems.isEmpty()) {
        std::fprintf(stderr, "scan read %lld of %d files\n", qlonglong(scan.files.size()), files);
        return 1;
    }
    std::printf("kb_scan_files_per_s: %.0f files/s\n", files / scanSeconds);

    LoadedPlugin plugin;
    QString error;
    HostContext context;
    context.dataDir = dir.path();
    if (!plugin.load({{QStringLiteral("event_log"),
                       QVariantMap{{QStringLiteral("driver"), QStringLiteral("sqlite")},
                                   {QStringLiteral("path"),
                                    dir.filePath(QStringLiteral("log.sqlite"))}}}},
                     context, &error)) {
        std::fprintf(stderr, "plugin: %s\n", qPrintable(error));
        return 1;
    }
    Host::HookRegistry registry;
    registry.registerPlugin(plugin.plugin);
    Host::KbWatcher watcher(&registry);
    timer.restart();
    watcher.start({{QStringLiteral("bench"), dir.filePath(QStringLiteral("kb"))}});
    const double watchSeconds = timer.nsecsElapsed() / 1e9;
    if (watcher.initialStats().entries != files) {
        std::fprintf(stderr, "watch read %d of %d entries\n", watcher.initialStats().entries,
                     files);
        return 1;
    }
    std::printf("watch_initial_scan_files_per_s: %.0f files/s (target >= 5000; before_index per "
                "entry and kb.indexed through the real plugin)\n",
                files / watchSeconds);
    return 0;
}

#pragma once

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

// Runs the event loop until condition() holds or timeoutMs pass; false on timeout. For
// benchmarks, which (unlike tests) have no QTRY_VERIFY. The loop sleeps in poll() between events
// and the condition is checked every few milliseconds: processEvents() with a time limit would
// spin instead, stealing the CPU from the server under test and, with thousands of sockets,
// paying a poll() over all of them on every spin.
template<typename Condition> bool waitFor(Condition condition, int timeoutMs)
{
    if (condition())
        return true;
    QElapsedTimer elapsed;
    elapsed.start();
    QEventLoop loop;
    QTimer check;
    bool met = false;
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        met = condition();
        if (met || elapsed.elapsed() > timeoutMs)
            loop.quit();
    });
    check.start(5);
    loop.exec();
    return met;
}

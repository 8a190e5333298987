#pragma once

#include <QCoreApplication>
#include <QElapsedTimer>

// Runs the event loop until condition() holds or timeoutMs pass; false on timeout. For
// benchmarks, which (unlike tests) have no QTRY_VERIFY.
template<typename Condition>
bool waitFor(Condition condition, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!condition()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
    }
    return true;
}

// MemoryTrimmer on the real heap of this process: holes left between blocks that stay are given
// back to the system, which glibc does not do by itself.

#include "memorytrimmer.h"
#include "processmemory.h"

#include <QSignalSpy>
#include <QTest>

#include <cstdlib>
#include <cstring>
#include <vector>

using Pyrite::Host::MemoryTrimmer;

class tst_MemoryTrimmer : public QObject
{
    Q_OBJECT

private slots:
    void residentSize();
    void givesHolesBack();
    void trimsOnItsTimer();
};

void tst_MemoryTrimmer::residentSize()
{
    if (!MemoryTrimmer::isAvailable())
        QSKIP("no malloc_trim here (not glibc, or a sanitizer's allocator)");
    const qint64 before = Pyrite::residentBytes();
    QVERIFY(before > 0);
    std::vector<char> touched(32 << 20, 1);
    QVERIFY(Pyrite::residentBytes() >= before + (24 << 20));
}

void tst_MemoryTrimmer::givesHolesBack()
{
    if (!MemoryTrimmer::isAvailable())
        QSKIP("no malloc_trim here (not glibc, or a sanitizer's allocator)");
    // 64 MiB in 16 KiB blocks, each followed by a small one that stays: once the large ones are
    // freed the heap is full of holes that cannot merge, and glibc keeps their pages.
    constexpr int Blocks = 4096;
    constexpr size_t BlockBytes = 16 * 1024;
    std::vector<void *> blocks;
    std::vector<void *> pins;
    for (int i = 0; i < Blocks; ++i) {
        blocks.push_back(std::malloc(BlockBytes));
        std::memset(blocks.back(), 0x5a, BlockBytes);
        pins.push_back(std::malloc(64));
    }
    for (void *block : blocks)
        std::free(block);
    const qint64 holding = Pyrite::residentBytes();

    MemoryTrimmer trimmer;
    QSignalSpy trimmed(&trimmer, &MemoryTrimmer::trimmed);
    qint64 released = 0;
    QVERIFY(trimmer.trimNow(&released));
    // Three of the four pages of each hole are whole pages: at least 48 MiB.
    QVERIFY2(released >= (40 << 20), qPrintable(QStringLiteral("released %1 bytes").arg(released)));
    QVERIFY(Pyrite::residentBytes() <= holding - (40 << 20));
    QCOMPARE(trimmed.size(), 1);
    QCOMPARE(trimmed.at(0).at(0).toLongLong(), released);
    for (void *pin : pins)
        std::free(pin);
}

void tst_MemoryTrimmer::trimsOnItsTimer()
{
    MemoryTrimmer trimmer;
    QSignalSpy trimmed(&trimmer, &MemoryTrimmer::trimmed);
    trimmer.start(20);
    if (!MemoryTrimmer::isAvailable()) {
        QTest::qWait(100);
        QCOMPARE(trimmed.size(), 0); // nothing to do, and it does nothing
        return;
    }
    QTRY_VERIFY(trimmed.size() >= 2);
    trimmer.stop();
    const qsizetype count = trimmed.size();
    QTest::qWait(100);
    QCOMPARE(trimmed.size(), count);
}

QTEST_GUILESS_MAIN(tst_MemoryTrimmer)
#include "tst_memorytrimmer.moc"

// The markdown entry reader shared by watch mode and the graph: front matter fields, defaults,
// and a clear error with file and line for every kind of bad file; the scanner goes on past them.

#include "frontmatter.h"
#include "kbscanner.h"
#include "testfiles.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Pyrite;

class tst_FrontMatter : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void badFiles_data();
    void badFiles();
    void scanSkipsBadFilesAndHiddenFolders();
    void scanOfMissingFolder();
    void oversizeFile();
};

void tst_FrontMatter::parse_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("title");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QStringList>("tags");
    QTest::addColumn<QStringList>("targets");
    QTest::addColumn<QString>("body");

    QTest::newRow("full") << QByteArray("---\nid: n1\ntitle: First\ntype: paper\ntags: [a, b]\n"
                                        "links:\n  - target: n2\n    relation: cites\n  - n3\n---\n"
                                        "Body text\n")
                          << "n1"
                          << "First"
                          << "paper" << QStringList{"a", "b"} << QStringList{"n2", "n3"}
                          << "Body text\n";
    QTest::newRow("defaults from the file name and heading")
            << QByteArray("---\ntags: x, y\n---\n# A heading\nmore\n") << "file-name"
            << "A heading"
            << "note" << QStringList{"x", "y"} << QStringList{} << "# A heading\nmore\n";
    QTest::newRow("no front matter") << QByteArray("just text\n") << "file-name"
                                     << "file-name"
                                     << "note" << QStringList{} << QStringList{} << "just text\n";
    QTest::newRow("CRLF and BOM") << QByteArray(
                                             "\xEF\xBB\xBF---\r\nid: w\r\ntitle: Win\r\n---\r\nB")
                                  << "w"
                                  << "Win"
                                  << "note" << QStringList{} << QStringList{} << "B";
    QTest::newRow("empty front matter") << QByteArray("---\n---\nx") << "file-name"
                                        << "file-name"
                                        << "note" << QStringList{} << QStringList{} << "x";
    QTest::newRow("numeric id") << QByteArray("---\nid: 42\n---\n") << "42"
                                << "42"
                                << "note" << QStringList{} << QStringList{} << "";
}

void tst_FrontMatter::parse()
{
    QFETCH(QByteArray, content);
    KbEntry entry;
    QString error;
    QVERIFY2(FrontMatter::parse(content, "kb/file-name.md", "file-name", &entry, &error),
             qPrintable(error));
    QTEST(entry.id, "id");
    QTEST(entry.title, "title");
    QTEST(entry.type, "type");
    QTEST(entry.tags, "tags");
    QStringList targets;
    for (const QVariant &link : std::as_const(entry.links))
        targets.append(link.toMap().value("target").toString());
    QTEST(targets, "targets");
    QTEST(entry.body, "body");
    // Every link has a relation; "related" when none is given.
    for (const QVariant &link : std::as_const(entry.links))
        QVERIFY(!link.toMap().value("relation").toString().isEmpty());
    QCOMPARE(entry.toVariantMap().value("id").toString(), entry.id);
}

void tst_FrontMatter::badFiles_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("error");

    QTest::newRow("not closed") << QByteArray("---\nid: a\ntitle: b\n")
                                << "kb/a.md:1: the front matter is not closed";
    QTest::newRow("invalid YAML, line of the file")
            << QByteArray("---\nid: a\ntitle: [b\n---\n") << "kb/a.md:4:";
    QTest::newRow("aliases of aliases") << "---\nid: a\n" + yamlLaughs("extra", 9) + "---\n"
                                        << "kb/a.md:4:7: invalid YAML: the document expands to "
                                           "more than 100000 values under \"extra\"";
    QTest::newRow("not a map") << QByteArray("---\n- a\n- b\n---\n")
                               << "kb/a.md:2: the front matter is not a map";
    QTest::newRow("id is a list") << QByteArray("---\ntitle: t\nid: [1, 2]\n---\n")
                                  << "kb/a.md:3: id must be a text";
    QTest::newRow("empty id") << QByteArray("---\nid: \"\"\n---\n") << "kb/a.md:2: id is empty";
    QTest::newRow("links not a list")
            << QByteArray("---\nlinks: n2\n---\n") << "kb/a.md:2: links must be a list";
    QTest::newRow("link without target")
            << QByteArray("---\nid: a\nlinks:\n  - target: n2\n  - relation: cites\n---\n")
            << "kb/a.md:5: links[1]: a link needs a target";
    QTest::newRow("tag is a map") << QByteArray("---\ntags:\n  - a\n  - {b: c}\n---\n")
                                  << "kb/a.md:4: tags[1] must be a text";
    QTest::newRow("binary") << QByteArray("---\nid: a\n\0\x01\x02", 12)
                            << "kb/a.md: not a text file";
    QTest::newRow("not UTF-8") << QByteArray("---\ntitle: caf\xE9\n---\n")
                               << "kb/a.md: not UTF-8 text";
}

void tst_FrontMatter::badFiles()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, error);
    KbEntry entry;
    QString message;
    QVERIFY(!FrontMatter::parse(content, "kb/a.md", "a", &entry, &message));
    QVERIFY2(message.startsWith(error), qPrintable(message));
    QVERIFY2(!message.contains(u'\n'), "one line per problem");
}

void tst_FrontMatter::scanSkipsBadFilesAndHiddenFolders()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    writeFile(dir.filePath("a.md"), "---\nid: a\nlinks: [b]\n---\n");
    writeFile(dir.filePath("sub/deeper/b.md"), "---\nid: b\ntype: paper\n---\n");
    writeFile(dir.filePath("broken.md"), "---\nid: [x\n---\n");
    writeFile(dir.filePath("copy.md"), "---\nid: a\n---\n");
    writeFile(dir.filePath(".git/c.md"), "---\nid: c\n---\n");
    writeFile(dir.filePath("notes.txt"), "not an entry");
    writeFile(dir.filePath("z.md"), "---\nid: z\n---\n");

    const KbScanner::Result result = KbScanner::scan(dir.path());
    QStringList ids;
    for (const KbScanner::File &file : result.files)
        ids.append(file.entry.id);
    QCOMPARE(ids, (QStringList{"a", "b", "z"}));
    QCOMPARE(result.scanned, 5);
    QCOMPARE(result.problems.size(), 2);
    QVERIFY2(result.problems.at(0).contains("broken.md:3:"), qPrintable(result.problems.at(0)));
    QVERIFY2(result.problems.at(1).contains("copy.md: id \"a\" is already the id of"),
             qPrintable(result.problems.at(1)));
}

void tst_FrontMatter::scanOfMissingFolder()
{
    const KbScanner::Result result = KbScanner::scan("/nonexistent/pyrite-kb");
    QVERIFY(result.files.isEmpty());
    QCOMPARE(result.problems, QStringList{"/nonexistent/pyrite-kb: folder does not exist"});
}

void tst_FrontMatter::oversizeFile()
{
    QTemporaryDir dir;
    QByteArray big("---\nid: big\n---\n");
    big.append(QByteArray(KbScanner::MaxFileBytes, 'x'));
    writeFile(dir.filePath("big.md"), big);
    writeFile(dir.filePath("small.md"), "---\nid: small\n---\n");
    const KbScanner::Result result = KbScanner::scan(dir.path());
    QCOMPARE(result.files.size(), 1);
    QCOMPARE(result.problems.size(), 1);
    QVERIFY2(result.problems.constFirst().contains("big.md: too large for an entry"),
             qPrintable(result.problems.constFirst()));
}

QTEST_GUILESS_MAIN(tst_FrontMatter)
#include "tst_frontmatter.moc"

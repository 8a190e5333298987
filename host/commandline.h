#pragma once

#include "hostapplication.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

#include <memory>
#include <vector>

namespace Pyrite::Host {

// pyrite-host's command line: the options of every command, read into HostApplication::Options
// with a clear message for every bad value, and the command with its arguments.
class CommandLine
{
public:
    CommandLine();

    // Parses; --help and --version print and exit here, as QCommandLineParser::process() does.
    void process(const QCoreApplication &app);
    // The options as read; false with a message naming the option when a value is not usable.
    bool read(HostApplication::Options *options, QString *errorString) const;
    // Runs the command named on the command line; an unknown one prints why and returns 2.
    int runCommand(HostApplication &host, HostApplication::Options options) const;

private:
    void addRunOptions();
    void addEventOptions();
    void addWebhookOptions();
    bool readTimes(HostApplication::Options *options, QString *errorString) const;
    // " (did you mean --follow?)" for "folow"; empty when nothing is close.
    QString suggestionFor(const QString &unknown) const;
    static int editDistance(const QString &a, const QString &b);
    QCommandLineOption &add(const QString &name, const QString &description,
                            const QString &valueName = QString(),
                            const QString &defaultValue = QString());
    const QCommandLineOption &option(const QString &name) const;

    QCommandLineParser m_parser;
    std::vector<std::unique_ptr<QCommandLineOption>> m_options;
};

} // namespace Pyrite::Host

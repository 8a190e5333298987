#pragma once

#include "bus/event.h"

#include <QList>
#include <QString>

namespace Pyrite::Internal {

class LogDatabase;

// Work another room keeps in the event log's database (the webhook outbox), done by the log on its
// own thread: inside the transaction that stores each batch of events, so that what depends on an
// event is stored exactly when the event is, and at each retention run. The log knows nothing of
// what a participant stores. Called on the log thread only.
class LogParticipant
{
public:
    virtual ~LogParticipant() = default;

    // Inside the transaction that stores events, whose sequences are firstSequence,
    // firstSequence + 1, ... (the events do not carry them yet; json has each one as replay
    // returns it: with epoch, sequence and hashes). False, with a message, rolls the whole batch
    // back; it is retried like any failed write.
    virtual bool eventsAppended(LogDatabase &database, const QList<Event> &events,
                                qint64 firstSequence, const QList<QByteArray> &json,
                                QString *errorString) = 0;
    // Removes at most `chunk` of its rows that are no longer kept; *deleted says how many. The log
    // calls again while it equals chunk, letting writes in between.
    virtual bool prune(LogDatabase &database, int chunk, int *deleted, QString *errorString) = 0;
    // The end of a retention run that removed `deleted` rows of this participant.
    virtual void pruned(int deleted) = 0;
};

} // namespace Pyrite::Internal

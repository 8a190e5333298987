<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Pyrite::Bus</name>
    <message>
        <source>not a CloudEvents 1.0 event: &quot;specversion&quot; is missing or not &quot;1.0&quot;</source>
        <translation>kein CloudEvents-1.0-Ereignis: &quot;specversion&quot; fehlt oder ist nicht &quot;1.0&quot;</translation>
    </message>
    <message>
        <source>event has no &quot;%1&quot; string</source>
        <translation>dem Ereignis fehlt die Zeichenkette &quot;%1&quot;</translation>
    </message>
    <message>
        <source>event &quot;time&quot; is not an RFC 3339 timestamp</source>
        <translation>&quot;time&quot; des Ereignisses ist kein RFC-3339-Zeitstempel</translation>
    </message>
    <message>
        <source>after_save: context &quot;operation&quot; is &quot;%1&quot;; expected &quot;create&quot; or &quot;update&quot;</source>
        <translation>after_save: &quot;operation&quot; im Kontext ist &quot;%1&quot;; erwartet wird &quot;create&quot; oder &quot;update&quot;</translation>
    </message>
    <message>
        <source>%1: the entry has no &quot;id&quot;</source>
        <translation>%1: der Eintrag hat keine &quot;id&quot;</translation>
    </message>
    <message>
        <source>%1: entry &quot;%2&quot; has no KB (context &quot;kb_name&quot; is empty)</source>
        <translation>%1: Eintrag &quot;%2&quot; hat keine Wissensbasis (&quot;kb_name&quot; im Kontext ist leer)</translation>
    </message>
    <message>
        <source>%1: no KB (payload &quot;kb&quot; and context &quot;kb_name&quot; are empty)</source>
        <translation>%1: keine Wissensbasis (&quot;kb&quot; in den Nutzdaten und &quot;kb_name&quot; im Kontext sind leer)</translation>
    </message>
    <message>
        <source>%1: payload has no &quot;entry_id&quot;</source>
        <translation>%1: den Nutzdaten fehlt &quot;entry_id&quot;</translation>
    </message>
    <message>
        <source>%1: payload &quot;issues&quot; must be a list</source>
        <translation>%1: &quot;issues&quot; in den Nutzdaten muss eine Liste sein</translation>
    </message>
    <message>
        <source>%1: payload &quot;%2&quot; must be a whole number of at least 0</source>
        <translation>%1: &quot;%2&quot; in den Nutzdaten muss eine ganze Zahl ab 0 sein</translation>
    </message>
    <message>
        <source>an event type pattern must not be empty</source>
        <translation>ein Ereignistyp-Muster darf nicht leer sein</translation>
    </message>
    <message>
        <source>event type pattern is longer than %1 characters</source>
        <translation>das Ereignistyp-Muster ist länger als %1 Zeichen</translation>
    </message>
    <message>
        <source>event type pattern &quot;%1&quot; may only contain a-z, 0-9, &apos;.&apos;, &apos;_&apos; and &apos;*&apos;</source>
        <translation>das Ereignistyp-Muster &quot;%1&quot; darf nur a-z, 0-9, &apos;.&apos;, &apos;_&apos; und &apos;*&apos; enthalten</translation>
    </message>
    <message>
        <source>event type pattern &quot;%1&quot; has &quot;**&quot;; one &apos;*&apos; already matches any text</source>
        <translation>das Ereignistyp-Muster &quot;%1&quot; enthält &quot;**&quot;; ein &apos;*&apos; passt bereits auf beliebigen Text</translation>
    </message>
</context>
<context>
    <name>Pyrite::Common</name>
    <message>
        <source>a map</source>
        <translation>eine Zuordnung</translation>
    </message>
    <message>
        <source>a list</source>
        <translation>eine Liste</translation>
    </message>
    <message>
        <source>a boolean</source>
        <translation>ein Wahrheitswert</translation>
    </message>
    <message>
        <source>a whole number</source>
        <translation>eine ganze Zahl</translation>
    </message>
    <message>
        <source>a decimal number</source>
        <translation>eine Dezimalzahl</translation>
    </message>
    <message>
        <source>a string</source>
        <translation>eine Zeichenkette</translation>
    </message>
    <message>
        <source>a value of another kind</source>
        <translation>ein Wert anderer Art</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>nichts</translation>
    </message>
    <message>
        <source>expected a map of settings, got %1</source>
        <translation>erwartet eine Zuordnung von Einstellungen, erhalten: %1</translation>
    </message>
    <message>
        <source>expected a string, got %1</source>
        <translation>erwartet eine Zeichenkette, erhalten: %1</translation>
    </message>
    <message>
        <source>is required</source>
        <translation>ist erforderlich</translation>
    </message>
    <message>
        <source>must not be empty</source>
        <translation>darf nicht leer sein</translation>
    </message>
    <message>
        <source>expected true or false, got %1</source>
        <translation>erwartet true oder false, erhalten: %1</translation>
    </message>
    <message>
        <source>expected a whole number, got %1</source>
        <translation>erwartet eine ganze Zahl, erhalten: %1</translation>
    </message>
    <message>
        <source>%1 is out of range (%2 to %3)</source>
        <translation>%1 liegt außerhalb des Bereichs (%2 bis %3)</translation>
    </message>
    <message>
        <source>expected a list, got %1</source>
        <translation>erwartet eine Liste, erhalten: %1</translation>
    </message>
    <message>
        <source>unknown value &quot;%1&quot; (expected one of: %2)</source>
        <translation>unbekannter Wert &quot;%1&quot; (erwartet wird einer von: %2)</translation>
    </message>
    <message>
        <source>unknown key (known keys: %1)</source>
        <translation>unbekannter Schlüssel (bekannte Schlüssel: %1)</translation>
    </message>
    <message>
        <source>not a text file (it contains NUL bytes)</source>
        <translation>keine Textdatei (sie enthält NUL-Bytes)</translation>
    </message>
    <message>
        <source>not UTF-8 text</source>
        <translation>kein UTF-8-Text</translation>
    </message>
    <message>
        <source>the front matter is not closed (no &quot;---&quot; line after line 1)</source>
        <translation>der Front Matter ist nicht geschlossen (keine Zeile &quot;---&quot; nach Zeile 1)</translation>
    </message>
    <message>
        <source>the front matter is not a map of fields</source>
        <translation>der Front Matter ist keine Zuordnung von Feldern</translation>
    </message>
    <message>
        <source>%1 must be a text, not a list or map</source>
        <translation>%1 muss ein Text sein, keine Liste oder Zuordnung</translation>
    </message>
    <message>
        <source>id is empty</source>
        <translation>id ist leer</translation>
    </message>
    <message>
        <source>%1 must be a text</source>
        <translation>%1 muss ein Text sein</translation>
    </message>
    <message>
        <source>tags must be a list</source>
        <translation>tags muss eine Liste sein</translation>
    </message>
    <message>
        <source>links must be a list</source>
        <translation>links muss eine Liste sein</translation>
    </message>
    <message>
        <source>%1: a link needs a target</source>
        <translation>%1: ein Link braucht ein Ziel (target)</translation>
    </message>
    <message>
        <source>%1: a link is a target or a map with target and relation</source>
        <translation>%1: ein Link ist ein Ziel oder eine Zuordnung mit target und relation</translation>
    </message>
    <message>
        <source>not valid JSON: %1 at byte %2</source>
        <translation>kein gültiges JSON: %1 bei Byte %2</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1: nicht lesbar: %2</translation>
    </message>
    <message>
        <source>%1: too large for an entry (%2 bytes, at most %3)</source>
        <translation>%1: zu groß für einen Eintrag (%2 Bytes, höchstens %3)</translation>
    </message>
    <message>
        <source>%1: too large for an entry (more than %2 bytes)</source>
        <translation>%1: zu groß für einen Eintrag (mehr als %2 Bytes)</translation>
    </message>
    <message>
        <source>%1: not a folder</source>
        <translation>%1: kein Ordner</translation>
    </message>
    <message>
        <source>%1: folder does not exist</source>
        <translation>%1: der Ordner existiert nicht</translation>
    </message>
    <message>
        <source>%1: id &quot;%2&quot; is already the id of %3; skipped</source>
        <translation>%1: id &quot;%2&quot; ist bereits die id von %3; übersprungen</translation>
    </message>
    <message>
        <source>%1: cannot open: %2</source>
        <translation>%1: kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>%1: file is too large (%2 bytes, at most %3)</source>
        <translation>%1: Datei ist zu groß (%2 Bytes, höchstens %3)</translation>
    </message>
    <message>
        <source>%1:%2:%3: invalid YAML: %4</source>
        <translation>%1:%2:%3: ungültiges YAML: %4</translation>
    </message>
    <message>
        <source>the document expands to more than %1 values under &quot;%2&quot; (aliases of aliases?); at most %1 are read</source>
        <translation>das Dokument wächst unter &quot;%2&quot; auf mehr als %1 Werte an (Aliase von Aliasen?); höchstens %1 werden gelesen</translation>
    </message>
    <message>
        <source>values are nested more than %1 deep</source>
        <translation>Werte sind tiefer als %1 Ebenen verschachtelt</translation>
    </message>
    <message>
        <source>cannot create the folder %1</source>
        <translation>der Ordner %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>%1 is not a folder</source>
        <translation>%1 ist kein Ordner</translation>
    </message>
    <message>
        <source>cannot create %1: %2</source>
        <translation>%1 kann nicht angelegt werden: %2</translation>
    </message>
    <message>
        <source>environment variable %1 is not set</source>
        <translation>die Umgebungsvariable %1 ist nicht gesetzt</translation>
    </message>
</context>
<context>
    <name>Pyrite::EventLog</name>
    <message>
        <source>event log is not open</source>
        <translation>das Ereignisprotokoll ist nicht geöffnet</translation>
    </message>
    <message>
        <source>the event log is off (event_log.driver: none)</source>
        <translation>das Ereignisprotokoll ist ausgeschaltet (event_log.driver: none)</translation>
    </message>
    <message>
        <source>epoch &quot;%1&quot; is not this log&apos;s (&quot;%2&quot;): its positions are void; start again from sequence 0</source>
        <translation>Epoche &quot;%1&quot; ist nicht die dieses Protokolls (&quot;%2&quot;): ihre Positionen sind ungültig; erneut bei Sequenznummer 0 beginnen</translation>
    </message>
    <message>
        <source>sequence %1 is negative</source>
        <translation>Sequenznummer %1 ist negativ</translation>
    </message>
    <message>
        <source>limit %1 is out of range (1 to 100000)</source>
        <translation>Limit %1 liegt außerhalb des Bereichs (1 bis 100000)</translation>
    </message>
    <message>
        <source>the time range ends before it starts</source>
        <translation>der Zeitraum endet, bevor er beginnt</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a duration (a number with s, m, h or d, e.g. 30d)</source>
        <translation>&quot;%1&quot; ist keine Dauer (eine Zahl mit s, m, h oder d, z. B. 30d)</translation>
    </message>
    <message>
        <source>ignored: driver is &quot;%1&quot;</source>
        <translation>ignoriert: der Treiber ist &quot;%1&quot;</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a plain PostgreSQL channel name (a-z, 0-9, _)</source>
        <translation>&quot;%1&quot; ist kein einfacher PostgreSQL-Kanalname (a-z, 0-9, _)</translation>
    </message>
    <message>
        <source>environment variable %1 is not set</source>
        <translation>Umgebungsvariable %1 ist nicht gesetzt</translation>
    </message>
    <message>
        <source>a literal password; prefer &quot;env:NAME&quot;</source>
        <translation>ein Passwort im Klartext; besser &quot;env:NAME&quot;</translation>
    </message>
    <message>
        <source>event log %1: %2: %3</source>
        <translation>Ereignisprotokoll %1: %2: %3</translation>
    </message>
    <message>
        <source>connection lost</source>
        <translation>Verbindung verloren</translation>
    </message>
    <message>
        <source>event log %1: %2 is not a file</source>
        <translation>Ereignisprotokoll %1: %2 ist keine Datei</translation>
    </message>
    <message>
        <source>event log %1: the Qt SQL driver %2 is not installed</source>
        <translation>Ereignisprotokoll %1: der Qt-SQL-Treiber %2 ist nicht installiert</translation>
    </message>
    <message>
        <source>cannot connect</source>
        <translation>keine Verbindung möglich</translation>
    </message>
    <message>
        <source>cannot use the file</source>
        <translation>die Datei ist nicht verwendbar</translation>
    </message>
    <message>
        <source>cannot begin a transaction</source>
        <translation>kann keine Transaktion beginnen</translation>
    </message>
    <message>
        <source>cannot commit</source>
        <translation>kann nicht festschreiben</translation>
    </message>
    <message>
        <source>cannot read the schema version</source>
        <translation>kann die Schemaversion nicht lesen</translation>
    </message>
    <message>
        <source>event log %1: schema version %2 is newer than this plugin knows (%3); use a newer plugin</source>
        <translation>Ereignisprotokoll %1: Schemaversion %2 ist neuer als die, die dieses Plugin kennt (%3); ein neueres Plugin verwenden</translation>
    </message>
    <message>
        <source>event log: migration %1 is missing from the plugin</source>
        <translation>Ereignisprotokoll: die Migration %1 fehlt im Plugin</translation>
    </message>
    <message>
        <source>cannot record the schema version</source>
        <translation>kann die Schemaversion nicht vermerken</translation>
    </message>
    <message>
        <source>cannot read log_meta</source>
        <translation>kann log_meta nicht lesen</translation>
    </message>
    <message>
        <source>cannot create the epoch</source>
        <translation>kann die Epoche nicht anlegen</translation>
    </message>
    <message>
        <source>cannot lock the log</source>
        <translation>kann das Protokoll nicht sperren</translation>
    </message>
    <message>
        <source>cannot read the last sequence</source>
        <translation>kann die letzte Sequenznummer nicht lesen</translation>
    </message>
    <message>
        <source>cannot prepare the insert</source>
        <translation>kann das Einfügen nicht vorbereiten</translation>
    </message>
    <message>
        <source>cannot insert %1 events</source>
        <translation>kann %1 Ereignisse nicht einfügen</translation>
    </message>
    <message>
        <source>cannot notify</source>
        <translation>kann nicht benachrichtigen</translation>
    </message>
    <message>
        <source>cannot read events</source>
        <translation>kann keine Ereignisse lesen</translation>
    </message>
    <message>
        <source>cannot read new events</source>
        <translation>kann neue Ereignisse nicht lesen</translation>
    </message>
    <message>
        <source>cannot prune</source>
        <translation>kann nicht aufräumen</translation>
    </message>
    <message>
        <source>cannot read the oldest sequence</source>
        <translation>kann die älteste Sequenznummer nicht lesen</translation>
    </message>
    <message>
        <source>event log %1: cannot LISTEN on channel &quot;%2&quot;</source>
        <translation>Ereignisprotokoll %1: LISTEN auf Kanal &quot;%2&quot; nicht möglich</translation>
    </message>
    <message>
        <source>event log %1: the server closed the connection</source>
        <translation>Ereignisprotokoll %1: der Server hat die Verbindung geschlossen</translation>
    </message>
    <message>
        <source>event log %1 is not open</source>
        <translation>Ereignisprotokoll %1 ist nicht geöffnet</translation>
    </message>
    <message>
        <source>event log %1 is not available right now</source>
        <translation>Ereignisprotokoll %1 ist gerade nicht verfügbar</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>unbekannter Fehler</translation>
    </message>
    <message>
        <source>cannot read the data version</source>
        <translation>die Datenversion kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>event log %1: %2</source>
        <translation>Ereignisprotokoll %1: %2</translation>
    </message>
    <message>
        <source>cannot read events: %1</source>
        <translation>Ereignisse können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>cannot read log_meta: %1</source>
        <translation>log_meta kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>events %1 to %2 are missing (deleted?)</source>
        <translation>die Ereignisse %1 bis %2 fehlen (gelöscht?)</translation>
    </message>
    <message>
        <source>the chain starts at %1 but the oldest event is %2: events were removed other than by retention</source>
        <translation>die Kette beginnt bei %1, aber das älteste Ereignis ist %2: Ereignisse wurden anders als durch die Aufbewahrung entfernt</translation>
    </message>
    <message>
        <source>it does not follow the event before it (its prev_hash is not that event&apos;s hash: reordered, inserted or replaced?)</source>
        <translation>es folgt nicht auf das Ereignis davor (sein prev_hash ist nicht dessen Hash: umsortiert, eingefügt oder ersetzt?)</translation>
    </message>
    <message>
        <source>its content does not match its hash (edited?)</source>
        <translation>sein Inhalt passt nicht zu seinem Hash (bearbeitet?)</translation>
    </message>
    <message>
        <source>the log&apos;s newest event is %1 but the newest row is %2 (deleted?)</source>
        <translation>das neueste Ereignis des Protokolls ist %1, aber die neueste Zeile ist %2 (gelöscht?)</translation>
    </message>
    <message>
        <source>the log&apos;s newest event is %1 but rows go on to %2 (inserted?)</source>
        <translation>das neueste Ereignis des Protokolls ist %1, aber die Zeilen reichen bis %2 (eingefügt?)</translation>
    </message>
    <message>
        <source>its hash is not the one the log recorded as its newest</source>
        <translation>sein Hash ist nicht der, den das Protokoll als neuesten vermerkt hat</translation>
    </message>
    <message>
        <source>cannot update %1</source>
        <translation>%1 kann nicht aktualisiert werden</translation>
    </message>
    <message>
        <source>the event log is not available now</source>
        <translation>das Ereignisprotokoll ist gerade nicht verfügbar</translation>
    </message>
    <message>
        <source>not an SQLite connection</source>
        <translation>keine SQLite-Verbindung</translation>
    </message>
    <message>
        <source>cannot insert event %1</source>
        <translation>Ereignis %1 kann nicht eingefügt werden</translation>
    </message>
    <message>
        <source>an entry id needs its knowledge base (kb)</source>
        <translation>eine Eintrags-ID braucht ihre Wissensdatenbank (kb)</translation>
    </message>
</context>
<context>
    <name>Pyrite::Host</name>
    <message>
        <source>line %1: longer than %2 bytes; ignored</source>
        <translation>Zeile %1: länger als %2 Bytes; ignoriert</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>Zeile %1: %2</translation>
    </message>
    <message>
        <source>line %1: no loaded plugin offers an event bus to watch</source>
        <translation>Zeile %1: kein geladenes Plugin bietet einen Ereignisbus zum Beobachten</translation>
    </message>
    <message>
        <source>&quot;%1%2&quot; must be a string</source>
        <translation>&quot;%1%2&quot; muss eine Zeichenkette sein</translation>
    </message>
    <message>
        <source>&quot;%1%2&quot; must be an object</source>
        <translation>&quot;%1%2&quot; muss ein Objekt sein</translation>
    </message>
    <message>
        <source>&quot;context&quot; must be an object</source>
        <translation>&quot;context&quot; muss ein Objekt sein</translation>
    </message>
    <message>
        <source>&quot;context.operation&quot; is &quot;%1&quot;; expected create, update or delete</source>
        <translation>&quot;context.operation&quot; ist &quot;%1&quot;; erwartet wird create, update oder delete</translation>
    </message>
    <message>
        <source>a request must be a JSON object</source>
        <translation>eine Anfrage muss ein JSON-Objekt sein</translation>
    </message>
    <message>
        <source>a request needs exactly one of &quot;hook&quot;, &quot;notify&quot; or &quot;op&quot;</source>
        <translation>eine Anfrage braucht genau eines von &quot;hook&quot;, &quot;notify&quot; oder &quot;op&quot;</translation>
    </message>
    <message>
        <source>unknown hook &quot;%1&quot; (known: %2)</source>
        <translation>unbekannter Hook &quot;%1&quot; (bekannt: %2)</translation>
    </message>
    <message>
        <source>&quot;entry&quot; must be an object</source>
        <translation>&quot;entry&quot; muss ein Objekt sein</translation>
    </message>
    <message>
        <source>the entry has no &quot;id&quot; (a non-empty string)</source>
        <translation>der Eintrag hat keine &quot;id&quot; (eine nicht leere Zeichenkette)</translation>
    </message>
    <message>
        <source>unknown notification &quot;%1&quot; (known: %2)</source>
        <translation>unbekannte Benachrichtigung &quot;%1&quot; (bekannt: %2)</translation>
    </message>
    <message>
        <source>&quot;types&quot; must be a list of event type patterns</source>
        <translation>&quot;types&quot; muss eine Liste von Ereignistyp-Mustern sein</translation>
    </message>
    <message>
        <source>&quot;types&quot; must be a list of strings</source>
        <translation>&quot;types&quot; muss eine Liste von Zeichenketten sein</translation>
    </message>
    <message>
        <source>unknown op &quot;%1&quot; (known: metrics, ping, watch)</source>
        <translation>unbekannte Operation &quot;%1&quot; (bekannt: metrics, ping, watch)</translation>
    </message>
    <message>
        <source>cannot create the folder %1 for the bridge socket</source>
        <translation>der Ordner %1 für den Bridge-Socket kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>another process is already serving the bridge at %1</source>
        <translation>ein anderer Prozess bedient die Bridge bereits unter %1</translation>
    </message>
    <message>
        <source>cannot listen on %1: %2</source>
        <translation>kann nicht auf %1 lauschen: %2</translation>
    </message>
    <message>
        <source>the bridge already has %1 connections</source>
        <translation>die Bridge hat bereits %1 Verbindungen</translation>
    </message>
    <message>
        <source>The pyrite.yaml to use (default: $PYRITE_CONFIG).</source>
        <translation>Die zu verwendende pyrite.yaml (Standard: $PYRITE_CONFIG).</translation>
    </message>
    <message>
        <source>Also look for plugins in this folder (repeatable; searched first).</source>
        <translation>Auch in diesem Ordner nach Plugins suchen (mehrfach möglich; wird zuerst durchsucht).</translation>
    </message>
    <message>
        <source>Print every event as a CloudEvents JSON line on stdout.</source>
        <translation>Jedes Ereignis als CloudEvents-JSON-Zeile auf stdout ausgeben.</translation>
    </message>
    <message>
        <source>run: read the KB folders and turn file changes into hook calls (as &quot;watch: true&quot; in the config).</source>
        <translation>run: die Ordner der Wissensbasen lesen und Dateiänderungen in Hook-Aufrufe umwandeln (wie &quot;watch: true&quot; in der Konfiguration).</translation>
    </message>
    <message>
        <source>send: give up after this many milliseconds (default 10000).</source>
        <translation>send: nach so vielen Millisekunden aufgeben (Standard 10000).</translation>
    </message>
    <message>
        <source>events: only events after this sequence.</source>
        <translation>events: nur Ereignisse nach dieser Sequenznummer.</translation>
    </message>
    <message>
        <source>events: event type pattern, e.g. entry.* (repeatable).</source>
        <translation>events: Ereignistyp-Muster, z. B. entry.* (mehrfach möglich).</translation>
    </message>
    <message>
        <source>events: only this KB.</source>
        <translation>events: nur diese Wissensbasis.</translation>
    </message>
    <message>
        <source>events: only entries of this type.</source>
        <translation>events: nur Einträge dieses Typs.</translation>
    </message>
    <message>
        <source>events: the epoch --since belongs to; refused if the log has another.</source>
        <translation>events: die Epoche, zu der --since gehört; abgelehnt, wenn das Protokoll eine andere hat.</translation>
    </message>
    <message>
        <source>events: from this time on (RFC 3339, e.g. 2026-11-24T10:00:00Z).</source>
        <translation>events: ab diesem Zeitpunkt (RFC 3339, z. B. 2026-11-24T10:00:00Z).</translation>
    </message>
    <message>
        <source>events: before this time (RFC 3339).</source>
        <translation>events: vor diesem Zeitpunkt (RFC 3339).</translation>
    </message>
    <message>
        <source>events: keep printing new events until interrupted.</source>
        <translation>events: neue Ereignisse weiter ausgeben, bis unterbrochen wird.</translation>
    </message>
    <message>
        <source>deliveries: only pending, delivered or dead ones.</source>
        <translation>deliveries: nur ausstehende (pending), zugestellte (delivered) oder tote (dead).</translation>
    </message>
    <message>
        <source>deliveries: at most this many, newest first.</source>
        <translation>deliveries: höchstens so viele, neueste zuerst.</translation>
    </message>
    <message>
        <source>redeliver: every dead delivery.</source>
        <translation>redeliver: jede tote Zustellung.</translation>
    </message>
    <message>
        <source>pyrite-host: --since takes a sequence number (0 or more), not &quot;%1&quot;</source>
        <translation>pyrite-host: --since erwartet eine Sequenznummer (0 oder mehr), nicht &quot;%1&quot;</translation>
    </message>
    <message>
        <source>pyrite-host: --limit takes a number (1 or more), not &quot;%1&quot;</source>
        <translation>pyrite-host: --limit erwartet eine Zahl (1 oder mehr), nicht &quot;%1&quot;</translation>
    </message>
    <message>
        <source>pyrite-host: --%1 takes an RFC 3339 time, not &quot;%2&quot;</source>
        <translation>pyrite-host: --%1 erwartet einen RFC-3339-Zeitpunkt, nicht &quot;%2&quot;</translation>
    </message>
    <message>
        <source>pyrite-host: unknown command &quot;%1&quot;; see --help</source>
        <translation>pyrite-host: unbekannter Befehl &quot;%1&quot;; siehe --help</translation>
    </message>
    <message>
        <source>pyrite-host: no config file; pass --config FILE or set PYRITE_CONFIG</source>
        <translation>pyrite-host: keine Konfigurationsdatei; --config DATEI angeben oder PYRITE_CONFIG setzen</translation>
    </message>
    <message>
        <source>pyrite-host: the config has errors:
%1</source>
        <translation>pyrite-host: die Konfiguration enthält Fehler:
%1</translation>
    </message>
    <message>
        <source>plugin folders searched: %1</source>
        <translation>durchsuchte Plugin-Ordner: %1</translation>
    </message>
    <message>
        <source>(none exists)</source>
        <translation>(keiner vorhanden)</translation>
    </message>
    <message>
        <source>no plugins found and none configured</source>
        <translation>keine Plugins gefunden und keine konfiguriert</translation>
    </message>
    <message>
        <source> enabled in config</source>
        <translation> in der Konfiguration aktiviert</translation>
    </message>
    <message>
        <source>file: %1</source>
        <translation>Datei: %1</translation>
    </message>
    <message>
        <source>pyrite-host: %1</source>
        <translation>pyrite-host: %1</translation>
    </message>
    <message>
        <source>pyrite-host: bridge: %1</source>
        <translation>pyrite-host: Bridge: %1</translation>
    </message>
    <message>
        <source>pyrite-host %1 with %2</source>
        <translation>pyrite-host %1 mit %2</translation>
    </message>
    <message>
        <source>  plugin %1: %2%3</source>
        <translation>  Plugin %1: %2%3</translation>
    </message>
    <message>
        <source>  knowledge base %1: %2</source>
        <translation>  Wissensbasis %1: %2</translation>
    </message>
    <message>
        <source>  bridge: %1 (JSON lines, see docs/bridge.md; try: pyrite-host send --config %2 &apos;{&quot;op&quot;:&quot;ping&quot;}&apos;)</source>
        <translation>  Bridge: %1 (JSON-Zeilen, siehe docs/bridge.md; zum Ausprobieren: pyrite-host send --config %2 &apos;{&quot;op&quot;:&quot;ping&quot;}&apos;)</translation>
    </message>
    <message>
        <source>ready; Ctrl+C stops</source>
        <translation>bereit; Strg+C beendet</translation>
    </message>
    <message>
        <source>  watch: %1</source>
        <translation>  Beobachtung: %1</translation>
    </message>
    <message>
        <source>  watching knowledge base %1: %2 entries read in %3 ms%4</source>
        <translation>  beobachte Wissensbasis %1: %2 Einträge in %3 ms gelesen%4</translation>
    </message>
    <message>
        <source>, %1 files skipped (see above)</source>
        <translation>, %1 Dateien übersprungen (siehe oben)</translation>
    </message>
    <message>
        <source>  watch: a hook refused the change of %1/%2 on disk: %3</source>
        <translation>  Beobachtung: ein Hook hat die Änderung von %1/%2 auf der Platte abgelehnt: %3</translation>
    </message>
    <message>
        <source>pyrite-host: plugin %1: %2</source>
        <translation>pyrite-host: Plugin %1: %2</translation>
    </message>
    <message>
        <source>pyrite-host events: no loaded plugin keeps an event log (enable the eventbus plugin in %1)</source>
        <translation>pyrite-host events: kein geladenes Plugin führt ein Ereignisprotokoll (das Plugin eventbus in %1 aktivieren)</translation>
    </message>
    <message>
        <source>pyrite-host events: %1</source>
        <translation>pyrite-host events: %1</translation>
    </message>
    <message>
        <source>pyrite-host events: events %1 to %2 were pruned; the log starts at %3</source>
        <translation>pyrite-host events: die Ereignisse %1 bis %2 wurden bereits entfernt; das Protokoll beginnt bei %3</translation>
    </message>
    <message>
        <source>pyrite-host %1: no loaded plugin sends webhooks (enable the eventbus plugin in %2)</source>
        <translation>pyrite-host %1: kein geladenes Plugin sendet Webhooks (das eventbus-Plugin in %2 aktivieren)</translation>
    </message>
    <message>
        <source>pyrite-host deliveries: %1</source>
        <translation>pyrite-host deliveries: %1</translation>
    </message>
    <message>
        <source>pyrite-host redeliver: give a delivery id (a number from &quot;pyrite-host deliveries&quot;) or --dead</source>
        <translation>pyrite-host redeliver: eine Zustellungs-ID (eine Nummer aus &quot;pyrite-host deliveries&quot;) oder --dead angeben</translation>
    </message>
    <message>
        <source>no delivery %1</source>
        <translation>keine Zustellung %1</translation>
    </message>
    <message>
        <source>deliveries pending again: %1; a running host sends them within seconds</source>
        <translation>wieder ausstehende Zustellungen: %1; ein laufender Host sendet sie binnen Sekunden</translation>
    </message>
    <message>
        <source>pyrite-host redeliver: %1</source>
        <translation>pyrite-host redeliver: %1</translation>
    </message>
    <message>
        <source>pyrite-host send: nothing to send (give JSON lines as arguments or on stdin)</source>
        <translation>pyrite-host send: nichts zu senden (JSON-Zeilen als Argumente oder auf stdin angeben)</translation>
    </message>
    <message>
        <source>pyrite-host send: no answer from %1 within %2 ms</source>
        <translation>pyrite-host send: keine Antwort von %1 innerhalb von %2 ms</translation>
    </message>
    <message>
        <source>pyrite-host send: cannot reach the bridge at %1: %2 (is pyrite-host running?)</source>
        <translation>pyrite-host send: die Bridge unter %1 ist nicht erreichbar: %2 (läuft pyrite-host?)</translation>
    </message>
    <message>
        <source>%1: expected a map of settings at the top level</source>
        <translation>%1: auf oberster Ebene wird eine Zuordnung von Einstellungen erwartet</translation>
    </message>
    <message>
        <source>expected {name, path}, got %1</source>
        <translation>erwartet {name, path}, erhalten: %1</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid KB name (letters, digits, &apos;_&apos;, &apos;.&apos;, &apos;-&apos;)</source>
        <translation>&quot;%1&quot; ist kein gültiger Name für eine Wissensbasis (Buchstaben, Ziffern, &apos;_&apos;, &apos;.&apos;, &apos;-&apos;)</translation>
    </message>
    <message>
        <source>KB &quot;%1&quot; is listed twice</source>
        <translation>Wissensbasis &quot;%1&quot; ist zweimal aufgeführt</translation>
    </message>
    <message>
        <source>folder %1 does not exist</source>
        <translation>der Ordner %1 existiert nicht</translation>
    </message>
    <message>
        <source>expected a plugin name or {name, enabled, settings}, got %1</source>
        <translation>erwartet einen Plugin-Namen oder {name, enabled, settings}, erhalten: %1</translation>
    </message>
    <message>
        <source>plugin &quot;%1&quot; is listed twice</source>
        <translation>Plugin &quot;%1&quot; ist zweimal aufgeführt</translation>
    </message>
    <message>
        <source>knowledge base %1: %2 is not a folder; it is not watched</source>
        <translation>Wissensbasis %1: %2 ist kein Ordner; sie wird nicht beobachtet</translation>
    </message>
    <message>
        <source>kb.indexed for %1: %2</source>
        <translation>kb.indexed für %1: %2</translation>
    </message>
    <message>
        <source>knowledge base %1: cannot watch %2 paths (first: %3); raise fs.inotify.max_user_watches to see their changes</source>
        <translation>Wissensbasis %1: %2 Pfade können nicht beobachtet werden (erster: %3); fs.inotify.max_user_watches erhöhen, um ihre Änderungen zu sehen</translation>
    </message>
    <message>
        <source>%1: id &quot;%2&quot; is already the id of %3; skipped</source>
        <translation>%1: id &quot;%2&quot; ist bereits die id von %3; übersprungen</translation>
    </message>
    <message>
        <source>not enabled in the plugins list</source>
        <translation>in der Plugin-Liste nicht aktiviert</translation>
    </message>
    <message>
        <source>plugin &quot;%1&quot; was not found: no plugin folder exists (use --plugin-dir or PYRITE_PLUGIN_PATH)</source>
        <translation>Plugin &quot;%1&quot; wurde nicht gefunden: kein Plugin-Ordner vorhanden (--plugin-dir oder PYRITE_PLUGIN_PATH verwenden)</translation>
    </message>
    <message>
        <source>plugin &quot;%1&quot; was not found in %2</source>
        <translation>Plugin &quot;%1&quot; wurde nicht gefunden in %2</translation>
    </message>
    <message>
        <source>%1 implements interface &quot;%2&quot;, but this host loads &quot;%3&quot;</source>
        <translation>%1 implementiert die Schnittstelle &quot;%2&quot;, dieser Host lädt aber &quot;%3&quot;</translation>
    </message>
    <message>
        <source>%1 declares InterfaceVersion %2 in its metadata; this host supports %3</source>
        <translation>%1 gibt in seinen Metadaten InterfaceVersion %2 an; dieser Host unterstützt %3</translation>
    </message>
    <message>
        <source>%1 has no &quot;Version&quot; in its metadata</source>
        <translation>%1 hat keine &quot;Version&quot; in seinen Metadaten</translation>
    </message>
    <message>
        <source>cannot load %1: %2</source>
        <translation>%1 kann nicht geladen werden: %2</translation>
    </message>
    <message>
        <source>%1 does not implement the Pyrite plugin interface</source>
        <translation>%1 implementiert die Pyrite-Plugin-Schnittstelle nicht</translation>
    </message>
    <message>
        <source>plugin &quot;%1&quot; refused its settings:
%2</source>
        <translation>Plugin &quot;%1&quot; hat seine Einstellungen abgelehnt:
%2</translation>
    </message>
    <message>
        <source>disabled in %1 (enabled: false)</source>
        <translation>deaktiviert in %1 (enabled: false)</translation>
    </message>
    <message>
        <source>%1
strict_plugins is on in %2, so the host stops.</source>
        <translation>%1
strict_plugins ist in %2 eingeschaltet, daher hält der Host an.</translation>
    </message>
    <message>
        <source>available</source>
        <translation>verfügbar</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>deaktiviert</translation>
    </message>
    <message>
        <source>loaded</source>
        <translation>geladen</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>  (knowledge bases from Pyrite&apos;s %1)</source>
        <translation>  (Wissensdatenbanken aus Pyrites %1)</translation>
    </message>
    <message>
        <source>Pyrite&apos;s %1 cannot be read for its knowledge bases: %2</source>
        <translation>Pyrites %1 kann für seine Wissensdatenbanken nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>ignored: the eventbus plugin is not in &quot;plugins&quot;</source>
        <translation>ignoriert: das Plugin eventbus steht nicht in &quot;plugins&quot;</translation>
    </message>
    <message>
        <source>webhooks are given twice: here and in %1.webhooks; keep one</source>
        <translation>Webhooks sind zweimal angegeben: hier und in %1.webhooks; behalten Sie eine Angabe</translation>
    </message>
    <message>
        <source>pyrite-host: the data folder: %1</source>
        <translation>pyrite-host: der Datenordner: %1</translation>
    </message>
    <message>
        <source>pyrite-host events verify: %1</source>
        <translation>pyrite-host events verify: %1</translation>
    </message>
    <message>
        <source>pyrite-host events verify: the chain is intact: %1 events checked (%2 to %3)%4</source>
        <translation>pyrite-host events verify: die Kette ist intakt: %1 Ereignisse geprüft (%2 bis %3)%4</translation>
    </message>
    <message>
        <source>; %1 older events have no hash</source>
        <translation>; %1 ältere Ereignisse haben keinen Hash</translation>
    </message>
    <message>
        <source>pyrite-host events verify: the chain breaks at sequence %1: %2</source>
        <translation>pyrite-host events verify: die Kette bricht bei Sequenz %1: %2</translation>
    </message>
    <message>
        <source>pyrite-host: %1; see --help</source>
        <translation>pyrite-host: %1; siehe --help</translation>
    </message>
    <message>
        <source>pyrite-host: unknown option --%1%2; see --help</source>
        <translation>pyrite-host: unbekannte Option --%1%2; siehe --help</translation>
    </message>
    <message>
        <source> (did you mean --%1?)</source>
        <translation> (war --%1 gemeint?)</translation>
    </message>
    <message>
        <source>pyrite-host: --watch: %1 lists no knowledge base to watch (add knowledge_bases)</source>
        <translation>pyrite-host: --watch: %1 nennt keine Wissensbasis zum Beobachten (knowledge_bases ergänzen)</translation>
    </message>
    <message>
        <source>watch is on, but there is no knowledge base to watch: knowledge_bases is missing or empty</source>
        <translation>watch ist an, aber es gibt keine Wissensbasis zum Beobachten: knowledge_bases fehlt oder ist leer</translation>
    </message>
    <message>
        <source>run, serve, plugins, send, events, deliveries, redeliver, webhook-test or webhooks</source>
        <translation>run, serve, plugins, send, events, deliveries, redeliver, webhook-test oder webhooks</translation>
    </message>
    <message>
        <source>events, deliveries, redeliver, webhook-test, webhooks: also print what the plugins say while they load and unload.</source>
        <translation>events, deliveries, redeliver, webhook-test, webhooks: auch ausgeben, was die Plugins beim Laden und Entladen melden.</translation>
    </message>
    <message>
        <source>webhooks rotate-secret: how long the old secret signs as well (default 24h).</source>
        <translation>webhooks rotate-secret: wie lange das alte Geheimnis zusätzlich signiert (Standard 24h).</translation>
    </message>
    <message>
        <source>pyrite-host: --grace takes a duration like 0s, 30m or 24h, not &quot;%1&quot;</source>
        <translation>pyrite-host: --grace erwartet eine Dauer wie 0s, 30m oder 24h, nicht &quot;%1&quot;</translation>
    </message>
    <message>
        <source>pyrite-host deliveries: no webhooks configured (add endpoints under webhooks: in %1 or a kb.yaml, or with &quot;pyrite-host webhooks create&quot;; docs/webhooks.md)</source>
        <translation>pyrite-host deliveries: keine Webhooks konfiguriert (Endpunkte unter webhooks: in %1 oder einer kb.yaml eintragen oder mit &quot;pyrite-host webhooks create&quot; anlegen; docs/webhooks.md)</translation>
    </message>
    <message>
        <source>pyrite-host webhooks: give list, create JSON, update ID JSON, delete ID or rotate-secret ID [--grace 24h] (JSON may be - for stdin; docs/webhooks.md)</source>
        <translation>pyrite-host webhooks: list, create JSON, update ID JSON, delete ID oder rotate-secret ID [--grace 24h] angeben (JSON darf - für stdin sein; docs/webhooks.md)</translation>
    </message>
    <message>
        <source>cannot read stdin</source>
        <translation>stdin ist nicht lesbar</translation>
    </message>
    <message>
        <source>the definition on stdin is larger than %1 bytes</source>
        <translation>die Definition auf stdin ist größer als %1 Bytes</translation>
    </message>
    <message>
        <source>the definition is not valid JSON: %1 at byte %2</source>
        <translation>die Definition ist kein gültiges JSON: %1 bei Byte %2</translation>
    </message>
    <message>
        <source>the definition must be a JSON object, like &apos;{&quot;url&quot;: &quot;https://hooks.example.com/pyrite&quot;}&apos;</source>
        <translation>die Definition muss ein JSON-Objekt sein, etwa &apos;{&quot;url&quot;: &quot;https://hooks.example.com/pyrite&quot;}&apos;</translation>
    </message>
    <message>
        <source>pyrite-host webhooks: warning: %1</source>
        <translation>pyrite-host webhooks: Warnung: %1</translation>
    </message>
    <message>
        <source>pyrite-host webhooks %1: %2</source>
        <translation>pyrite-host webhooks %1: %2</translation>
    </message>
    <message>
        <source>pyrite-host webhooks: the secret is shown only now; give it to the receiver to verify signatures</source>
        <translation>pyrite-host webhooks: das Geheimnis wird nur jetzt angezeigt; dem Empfänger geben, damit er Signaturen prüfen kann</translation>
    </message>
    <message>
        <source>pyrite-host webhooks: %1</source>
        <translation>pyrite-host webhooks: %1</translation>
    </message>
    <message>
        <source>Reference host for Pyrite plugins.

Commands:
  run                   load the plugins of pyrite.yaml and serve the bridge (default)
  serve                 the same: the standalone server of Pyrite&apos;s event log (streams, HTTP, webhooks)
  plugins               list the plugins found and configured, and why any did not load
  send                  send JSON lines (arguments or stdin) to a running host&apos;s bridge
  events                print events from the event log as JSON lines
  events verify         check the event log&apos;s hash chain; names the first event that does not match
  deliveries            webhook deliveries and their attempts, as JSON lines
  redeliver ID|--dead   send a delivery (or every dead one, of --endpoint ID) again
  webhook-test URL|ID   send a sample event to URL or an endpoint and print the answer
  webhooks [list]       webhook endpoints, configured and made at run time
  webhooks create JSON  make an endpoint (prints its secret once); also update ID JSON, delete ID, rotate-secret ID</source>
        <translation>Referenz-Host für Pyrite-Plugins.

Befehle:
  run                   die Plugins aus pyrite.yaml laden und die Bridge bedienen (Standard)
  serve                 dasselbe: der eigenständige Server des Ereignisprotokolls von Pyrite (Streams, HTTP, Webhooks)
  plugins               gefundene und konfigurierte Plugins auflisten, und warum eines nicht geladen wurde
  send                  JSON-Zeilen (Argumente oder stdin) an die Bridge eines laufenden Hosts senden
  events                Ereignisse aus dem Ereignisprotokoll als JSON-Zeilen ausgeben
  events verify         die Hash-Kette des Ereignisprotokolls prüfen; nennt das erste Ereignis, das nicht passt
  deliveries            Webhook-Zustellungen und ihre Versuche als JSON-Zeilen
  redeliver ID|--dead   eine Zustellung (oder jede tote, von --endpoint ID) erneut senden
  webhook-test URL|ID   ein Beispielereignis an URL oder einen Endpunkt senden und die Antwort ausgeben
  webhooks [list]       Webhook-Endpunkte, konfigurierte und zur Laufzeit angelegte
  webhooks create JSON  einen Endpunkt anlegen (gibt sein Geheimnis einmal aus); auch update ID JSON, delete ID, rotate-secret ID</translation>
    </message>
    <message>
        <source>deliveries, redeliver --dead: only those to this endpoint id.</source>
        <translation>deliveries, redeliver --dead: nur die zu dieser Endpunkt-ID.</translation>
    </message>
    <message>
        <source>pyrite-host webhook-test: give the URL or the endpoint id to send a sample event to</source>
        <translation>pyrite-host webhook-test: die URL oder die Endpunkt-ID angeben, an die ein Beispielereignis gehen soll</translation>
    </message>
</context>
<context>
    <name>Pyrite::Http</name>
    <message>
        <source>unknown parameter &quot;%1&quot; (known: %2)</source>
        <translation>unbekannter Parameter &quot;%1&quot; (bekannt: %2)</translation>
    </message>
    <message>
        <source>parameter &quot;%1&quot; must be a number from %2 to %3, not &quot;%4&quot;</source>
        <translation>Parameter &quot;%1&quot; muss eine Zahl von %2 bis %3 sein, nicht &quot;%4&quot;</translation>
    </message>
    <message>
        <source>parameter &quot;%1&quot; must be an RFC 3339 time such as 2026-11-24T10:00:00Z, not &quot;%2&quot;</source>
        <translation>Parameter &quot;%1&quot; muss eine RFC-3339-Zeit wie 2026-11-24T10:00:00Z sein, nicht &quot;%2&quot;</translation>
    </message>
    <message>
        <source>no such file: %1</source>
        <translation>keine solche Datei: %1</translation>
    </message>
    <message>
        <source>the event log is off (event_log.driver: none)</source>
        <translation>das Ereignisprotokoll ist ausgeschaltet (event_log.driver: none)</translation>
    </message>
    <message>
        <source>parameter &quot;type&quot;: %1</source>
        <translation>Parameter &quot;type&quot;: %1</translation>
    </message>
    <message>
        <source>no webhooks are configured</source>
        <translation>es sind keine Webhooks konfiguriert</translation>
    </message>
    <message>
        <source>parameter &quot;history&quot; must be true or false, not &quot;%1&quot;</source>
        <translation>Parameter &quot;history&quot; muss true oder false sein, nicht &quot;%1&quot;</translation>
    </message>
    <message>
        <source>give either id=&lt;delivery id&gt; or dead=true</source>
        <translation>entweder id=&lt;Zustellungs-ID&gt; oder dead=true angeben</translation>
    </message>
    <message>
        <source>no delivery %1</source>
        <translation>keine Zustellung %1</translation>
    </message>
    <message>
        <source>parameter &quot;url&quot; must be an http(s) URL, not &quot;%1&quot;</source>
        <translation>Parameter &quot;url&quot; muss eine http(s)-URL sein, nicht &quot;%1&quot;</translation>
    </message>
    <message>
        <source>too many connections that have not sent a request yet (%1); try again later</source>
        <translation>zu viele Verbindungen, die noch keine Anfrage gesendet haben (%1); später erneut versuchen</translation>
    </message>
    <message>
        <source>the request head is larger than %1 bytes</source>
        <translation>der Kopf der Anfrage ist größer als %1 Bytes</translation>
    </message>
    <message>
        <source>the request body is larger than %1 bytes</source>
        <translation>der Rumpf der Anfrage ist größer als %1 Bytes</translation>
    </message>
    <message>
        <source>request bodies need a Content-Length of at most %1 bytes</source>
        <translation>Anfragerümpfe brauchen eine Content-Length von höchstens %1 Bytes</translation>
    </message>
    <message>
        <source>too many HTTP connections (%1); try again later</source>
        <translation>zu viele HTTP-Verbindungen (%1); später erneut versuchen</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an IP address</source>
        <translation>&quot;%1&quot; ist keine IP-Adresse</translation>
    </message>
    <message>
        <source>cannot listen on %1:%2: %3</source>
        <translation>kann nicht auf %1:%2 lauschen: %3</translation>
    </message>
    <message>
        <source>%1 does not take %2</source>
        <translation>%1 nimmt kein %2 an</translation>
    </message>
    <message>
        <source>no such path: %1</source>
        <translation>kein solcher Pfad: %1</translation>
    </message>
    <message>
        <source>requests from origin %1 are not allowed (stream.allowed_origins)</source>
        <translation>Anfragen vom Ursprung %1 sind nicht erlaubt (stream.allowed_origins)</translation>
    </message>
    <message>
        <source>a token is required (Authorization: Bearer, or ?token=)</source>
        <translation>ein Token ist erforderlich (Authorization: Bearer oder ?token=)</translation>
    </message>
    <message>
        <source>the token is not valid</source>
        <translation>das Token ist nicht gültig</translation>
    </message>
    <message>
        <source>Host &quot;%1&quot; is not this server (stream.allowed_hosts)</source>
        <translation>Host &quot;%1&quot; ist nicht dieser Server (stream.allowed_hosts)</translation>
    </message>
    <message>
        <source>too many connections from %1 that have not sent a request yet (%2); try again later</source>
        <translation>zu viele Verbindungen von %1, die noch keine Anfrage gesendet haben (%2); später erneut versuchen</translation>
    </message>
    <message>
        <source>too many HTTP connections from %1 (%2); try again later</source>
        <translation>zu viele HTTP-Verbindungen von %1 (%2); später erneut versuchen</translation>
    </message>
    <message>
        <source>%1/%2 has %3 links; the graph draws the first %4</source>
        <translation>%1/%2 hat %3 Verknüpfungen; der Graph zeichnet die ersten %4</translation>
    </message>
    <message>
        <source>parameter &quot;type&quot;: more than %1 patterns</source>
        <translation>Parameter &quot;type&quot;: mehr als %1 Muster</translation>
    </message>
    <message>
        <source>the list is empty: there is no authentication (leave the key out to say so)</source>
        <translation>die Liste ist leer: es gibt keine Authentifizierung (den Schlüssel weglassen, um das zu sagen)</translation>
    </message>
    <message>
        <source>a token must have at least %1 characters</source>
        <translation>ein Token muss mindestens %1 Zeichen haben</translation>
    </message>
    <message>
        <source>environment variable %1 holds a token of %2 characters; a token must have at least %3</source>
        <translation>die Umgebungsvariable %1 enthält ein Token mit %2 Zeichen; ein Token muss mindestens %3 haben</translation>
    </message>
    <message>
        <source>the plugin listens on %1 without tokens: anyone who can reach it may read every event and use the API</source>
        <translation>das Plugin lauscht auf %1 ohne Tokens: wer es erreicht, kann jedes Ereignis lesen und die API benutzen</translation>
    </message>
    <message>
        <source>the request body must be JSON (Content-Type: application/json)</source>
        <translation>der Anfragerumpf muss JSON sein (Content-Type: application/json)</translation>
    </message>
    <message>
        <source>the request body is not valid JSON: %1 at byte %2</source>
        <translation>der Anfragerumpf ist kein gültiges JSON: %1 bei Byte %2</translation>
    </message>
    <message>
        <source>the request body must be a JSON object</source>
        <translation>der Anfragerumpf muss ein JSON-Objekt sein</translation>
    </message>
    <message>
        <source>webhooks need the event log (event_log.driver is &quot;none&quot;)</source>
        <translation>Webhooks brauchen das Ereignisprotokoll (event_log.driver ist &quot;none&quot;)</translation>
    </message>
    <message>
        <source>unknown key &quot;%1&quot;; known is: grace</source>
        <translation>unbekannter Schlüssel &quot;%1&quot;; bekannt ist: grace</translation>
    </message>
    <message>
        <source>grace: expected a duration like 0s, 30m or 24h</source>
        <translation>grace: erwartet eine Dauer wie 0s, 30m oder 24h</translation>
    </message>
    <message>
        <source>endpoint=&lt;id&gt; goes with dead=true</source>
        <translation>endpoint=&lt;id&gt; gehört zu dead=true</translation>
    </message>
    <message>
        <source>give either url=&lt;url&gt; or endpoint=&lt;id&gt;</source>
        <translation>entweder url=&lt;url&gt; oder endpoint=&lt;id&gt; angeben</translation>
    </message>
    <message>
        <source>parameter &quot;order&quot;: &quot;%1&quot; is neither oldest nor newest</source>
        <translation>Parameter &quot;order&quot;: &quot;%1&quot; ist weder oldest noch newest</translation>
    </message>
    <message>
        <source>parameter &quot;before&quot; pages newest first: add order=newest</source>
        <translation>Parameter &quot;before&quot; blättert von den neuesten an: order=newest dazunehmen</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an http or https address</source>
        <translation>&quot;%1&quot; ist keine http- oder https-Adresse</translation>
    </message>
    <message>
        <source>&quot;%1&quot; has no {id} for the entry&apos;s id</source>
        <translation>&quot;%1&quot; enthält kein {id} für die ID des Eintrags</translation>
    </message>
</context>
<context>
    <name>Pyrite::Plugin</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>&quot;%1&quot; cannot be part of a URI authority (no &apos;/&apos; or spaces)</source>
        <translation>&quot;%1&quot; kann nicht Teil einer URI-Authority sein (kein &apos;/&apos; und keine Leerzeichen)</translation>
    </message>
    <message>
        <source>%1: webhooks need the event log for their outbox, but event_log.driver is &quot;none&quot;</source>
        <translation>%1: Webhooks brauchen das Ereignisprotokoll für ihren Ausgang, aber event_log.driver ist &quot;none&quot;</translation>
    </message>
    <message>
        <source>&quot;%1&quot; cannot be redacted (fields that can: %2)</source>
        <translation>&quot;%1&quot; kann nicht ausgeblendet werden (möglich sind: %2)</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a duration between 0s and 1h</source>
        <translation>&quot;%1&quot; ist keine Dauer zwischen 0s und 1h</translation>
    </message>
    <message>
        <source>webhooks are given twice: here and in eventbus.webhooks; keep one</source>
        <translation>Webhooks sind zweimal angegeben: hier und in eventbus.webhooks; behalten Sie eine Angabe</translation>
    </message>
</context>
<context>
    <name>Pyrite::Python</name>
    <message>
        <source>no event bus plugin is loaded (see pyrite.yaml&apos;s plugins)</source>
        <translation>kein Event-Bus-Plugin ist geladen (siehe die plugins in pyrite.yaml)</translation>
    </message>
    <message>
        <source>no loaded plugin keeps an event log (is event_log.driver &quot;none&quot; in %1?)</source>
        <translation>kein geladenes Plugin führt ein Ereignisprotokoll (steht event_log.driver in %1 auf &quot;none&quot;?)</translation>
    </message>
    <message>
        <source>no loaded plugin sends webhooks (see %1)</source>
        <translation>kein geladenes Plugin sendet Webhooks (siehe %1)</translation>
    </message>
    <message>
        <source>the data folder: %1</source>
        <translation>der Datenordner: %1</translation>
    </message>
</context>
<context>
    <name>Pyrite::Streams</name>
    <message>
        <source>&quot;types&quot; must be a list of event type patterns</source>
        <translation>&quot;types&quot; muss eine Liste von Ereignistyp-Mustern sein</translation>
    </message>
    <message>
        <source>&quot;types&quot; has more than %1 patterns</source>
        <translation>&quot;types&quot; hat mehr als %1 Muster</translation>
    </message>
    <message>
        <source>&quot;types&quot; must be a list of strings</source>
        <translation>&quot;types&quot; muss eine Liste von Zeichenketten sein</translation>
    </message>
    <message>
        <source>&quot;types&quot;: %1</source>
        <translation>&quot;types&quot;: %1</translation>
    </message>
    <message>
        <source>&quot;filter&quot; must be an object</source>
        <translation>&quot;filter&quot; muss ein Objekt sein</translation>
    </message>
    <message>
        <source>unknown filter field &quot;%1&quot; (known: kb, entry_type, entry_id)</source>
        <translation>unbekanntes Filterfeld &quot;%1&quot; (bekannt: kb, entry_type, entry_id)</translation>
    </message>
    <message>
        <source>&quot;filter.%1&quot; must be a string</source>
        <translation>&quot;filter.%1&quot; muss eine Zeichenkette sein</translation>
    </message>
    <message>
        <source>&quot;since&quot; must be a sequence number (a whole number of at least 0)</source>
        <translation>&quot;since&quot; muss eine Sequenznummer sein (eine ganze Zahl ab 0)</translation>
    </message>
    <message>
        <source>&quot;epoch&quot; must be a string</source>
        <translation>&quot;epoch&quot; muss eine Zeichenkette sein</translation>
    </message>
    <message>
        <source>a message must be a JSON object</source>
        <translation>eine Nachricht muss ein JSON-Objekt sein</translation>
    </message>
    <message>
        <source>&quot;id&quot; must be a string</source>
        <translation>&quot;id&quot; muss eine Zeichenkette sein</translation>
    </message>
    <message>
        <source>&quot;id&quot; is longer than %1 characters</source>
        <translation>&quot;id&quot; ist länger als %1 Zeichen</translation>
    </message>
    <message>
        <source>&quot;op&quot; is missing or not a string</source>
        <translation>&quot;op&quot; fehlt oder ist keine Zeichenkette</translation>
    </message>
    <message>
        <source>unknown op &quot;%1&quot; (known: subscribe, unsubscribe, ping)</source>
        <translation>unbekannte Operation &quot;%1&quot; (bekannt: subscribe, unsubscribe, ping)</translation>
    </message>
    <message>
        <source>%1 needs a non-empty &quot;id&quot;</source>
        <translation>%1 braucht eine nicht leere &quot;id&quot;</translation>
    </message>
    <message>
        <source>unknown path %1 (streams are on %2, Pyrite&apos;s legacy frames on %3)</source>
        <translation>unbekannter Pfad %1 (Streams liegen auf %2, Pyrites bisherige Nachrichten auf %3)</translation>
    </message>
    <message>
        <source>a token is required</source>
        <translation>ein Token ist erforderlich</translation>
    </message>
    <message>
        <source>the token is not valid</source>
        <translation>das Token ist nicht gültig</translation>
    </message>
    <message>
        <source>the server has %1 connections, its maximum</source>
        <translation>der Server hat %1 Verbindungen, sein Maximum</translation>
    </message>
    <message>
        <source>%1 already has %2 connections, the maximum per address</source>
        <translation>%1 hat bereits %2 Verbindungen, das Maximum je Adresse</translation>
    </message>
    <message>
        <source>more than %1 bad messages</source>
        <translation>mehr als %1 fehlerhafte Nachrichten</translation>
    </message>
    <message>
        <source>no subscription &quot;%1&quot;</source>
        <translation>kein Abonnement &quot;%1&quot;</translation>
    </message>
    <message>
        <source>subscription &quot;%1&quot; exists already</source>
        <translation>das Abonnement &quot;%1&quot; besteht bereits</translation>
    </message>
    <message>
        <source>at most %1 subscriptions per connection</source>
        <translation>höchstens %1 Abonnements je Verbindung</translation>
    </message>
    <message>
        <source>no answer to pings</source>
        <translation>keine Antwort auf Pings</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a duration between 1s and 1h</source>
        <translation>&quot;%1&quot; ist keine Dauer zwischen 1s und 1h</translation>
    </message>
    <message>
        <source>the server lost track of this connection</source>
        <translation>der Server hat diese Verbindung aus den Augen verloren</translation>
    </message>
</context>
<context>
    <name>Pyrite::Webhooks</name>
    <message>
        <source>webhook outbox: %1: %2</source>
        <translation>Webhook-Ausgang: %1: %2</translation>
    </message>
    <message>
        <source>cannot prepare the insert</source>
        <translation>kann das Einfügen nicht vorbereiten</translation>
    </message>
    <message>
        <source>cannot queue %1 deliveries</source>
        <translation>kann %1 Zustellungen nicht einreihen</translation>
    </message>
    <message>
        <source>cannot claim deliveries</source>
        <translation>kann keine Zustellungen übernehmen</translation>
    </message>
    <message>
        <source>cannot release claims</source>
        <translation>kann übernommene Zustellungen nicht freigeben</translation>
    </message>
    <message>
        <source>webhook outbox: cannot begin a transaction: %1</source>
        <translation>Webhook-Ausgang: kann keine Transaktion beginnen: %1</translation>
    </message>
    <message>
        <source>cannot record attempts</source>
        <translation>kann Versuche nicht speichern</translation>
    </message>
    <message>
        <source>webhook outbox: cannot commit: %1</source>
        <translation>Webhook-Ausgang: kann nicht festschreiben: %1</translation>
    </message>
    <message>
        <source>cannot list deliveries</source>
        <translation>kann Zustellungen nicht auflisten</translation>
    </message>
    <message>
        <source>cannot read attempts</source>
        <translation>kann Versuche nicht lesen</translation>
    </message>
    <message>
        <source>cannot redeliver</source>
        <translation>kann nicht erneut zustellen</translation>
    </message>
    <message>
        <source>cannot read the next due delivery</source>
        <translation>kann die nächste fällige Zustellung nicht lesen</translation>
    </message>
    <message>
        <source>cannot count deliveries</source>
        <translation>kann Zustellungen nicht zählen</translation>
    </message>
    <message>
        <source>cannot prune the history</source>
        <translation>kann den Verlauf nicht kürzen</translation>
    </message>
    <message>
        <source>refused: %1 resolves to %2, a loopback, private, link-local or multicast address (set allow_private: true to allow it)</source>
        <translation>abgelehnt: %1 ergibt %2, eine Loopback-, private, Link-Local- oder Multicast-Adresse (allow_private: true erlaubt sie)</translation>
    </message>
    <message>
        <source>cannot resolve %1: %2</source>
        <translation>kann %1 nicht auflösen: %2</translation>
    </message>
    <message>
        <source>the event log is not available</source>
        <translation>das Ereignisprotokoll ist nicht verfügbar</translation>
    </message>
    <message>
        <source>the response was larger than %1 bytes; the rest was not read</source>
        <translation>die Antwort war größer als %1 Bytes; der Rest wurde nicht gelesen</translation>
    </message>
    <message>
        <source>the endpoint answered 410 Gone; it is disabled until the host restarts with it configured</source>
        <translation>der Endpunkt antwortete 410 Gone; er ist abgeschaltet, bis der Host mit ihm neu startet</translation>
    </message>
    <message>
        <source>no answer within %1 ms</source>
        <translation>keine Antwort innerhalb von %1 ms</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>webhooks need the event log (event_log.driver is &quot;none&quot;)</source>
        <translation>Webhooks brauchen das Ereignisprotokoll (event_log.driver ist &quot;none&quot;)</translation>
    </message>
    <message>
        <source>several endpoints have the URL %1; name one by its id: %2</source>
        <translation>mehrere Endpunkte haben die URL %1; einen über seine ID nennen: %2</translation>
    </message>
    <message>
        <source>state &quot;%1&quot; is not one of pending, delivered, dead</source>
        <translation>Zustand &quot;%1&quot; ist keiner von pending, delivered, dead</translation>
    </message>
    <message>
        <source>a literal secret; prefer &quot;env:NAME&quot;</source>
        <translation>ein Geheimnis im Klartext; besser &quot;env:NAME&quot;</translation>
    </message>
    <message>
        <source>not a valid secret: expected &quot;whsec_&quot; followed by base64</source>
        <translation>kein gültiges Geheimnis: erwartet &quot;whsec_&quot; gefolgt von Base64</translation>
    </message>
    <message>
        <source>a secret must decode to 24 to 64 bytes, not %1</source>
        <translation>ein Geheimnis muss 24 bis 64 Bytes ergeben, nicht %1</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid URL</source>
        <translation>&quot;%1&quot; ist keine gültige URL</translation>
    </message>
    <message>
        <source>the scheme must be https or http, not &quot;%1&quot;</source>
        <translation>das Schema muss https oder http sein, nicht &quot;%1&quot;</translation>
    </message>
    <message>
        <source>credentials in the URL are not allowed; use headers</source>
        <translation>Zugangsdaten in der URL sind nicht erlaubt; Header verwenden</translation>
    </message>
    <message>
        <source>an empty list matches nothing; leave &quot;events&quot; out to receive every event</source>
        <translation>eine leere Liste passt auf nichts; &quot;events&quot; weglassen, um jedes Ereignis zu erhalten</translation>
    </message>
    <message>
        <source>this endpoint belongs to KB &quot;%1&quot; and only sees its events; it will never match &quot;%2&quot;</source>
        <translation>dieser Endpunkt gehört zur KB &quot;%1&quot; und sieht nur deren Ereignisse; &quot;%2&quot; passt nie</translation>
    </message>
    <message>
        <source>expected a map of header names to values, got %1</source>
        <translation>Abbildung von Header-Namen auf Werte erwartet, erhalten: %1</translation>
    </message>
    <message>
        <source>not a valid header name</source>
        <translation>kein gültiger Header-Name</translation>
    </message>
    <message>
        <source>set by the dispatcher; it cannot be configured</source>
        <translation>wird vom Zusteller gesetzt; nicht konfigurierbar</translation>
    </message>
    <message>
        <source>a header value cannot span lines</source>
        <translation>ein Header-Wert darf nicht über mehrere Zeilen gehen</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a duration between 1ms and 5m</source>
        <translation>&quot;%1&quot; ist keine Dauer zwischen 1ms und 5m</translation>
    </message>
    <message>
        <source>plain http: payloads and signatures travel unencrypted; prefer https</source>
        <translation>einfaches http: Inhalte und Signaturen gehen unverschlüsselt; besser https</translation>
    </message>
    <message>
        <source>expected a list of endpoints or a map with &quot;endpoints&quot;, got %1</source>
        <translation>Liste von Endpunkten oder Abbildung mit &quot;endpoints&quot; erwartet, erhalten: %1</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a duration like 250ms, 5s, 5m, 2h or 1d</source>
        <translation>&quot;%1&quot; ist keine Dauer wie 250ms, 5s, 5m, 2h oder 1d</translation>
    </message>
    <message>
        <source>must list at least one delay</source>
        <translation>muss mindestens eine Wartezeit enthalten</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a duration like 30s or 5m</source>
        <translation>&quot;%1&quot; ist keine Dauer wie 30s oder 5m</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a duration of a minute or more, like 7d</source>
        <translation>&quot;%1&quot; ist keine Dauer von einer Minute oder mehr, wie 7d</translation>
    </message>
    <message>
        <source>expected an endpoint (a map with &quot;url&quot;), got %1</source>
        <translation>Endpunkt erwartet (eine Abbildung mit &quot;url&quot;), erhalten: %1</translation>
    </message>
    <message>
        <source>another endpoint has the id &quot;%1&quot;; give each an &quot;id&quot;</source>
        <translation>ein anderer Endpunkt hat die ID &quot;%1&quot;; jedem eine &quot;id&quot; geben</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an http or https URL</source>
        <translation>&quot;%1&quot; ist keine http- oder https-URL</translation>
    </message>
    <message>
        <source>HTTP %1, a redirect to %2: webhooks follow no redirects (configure the URL it points to)</source>
        <translation>HTTP %1, eine Weiterleitung nach %2: Webhooks folgen keinen Weiterleitungen (die URL konfigurieren, auf die sie zeigt)</translation>
    </message>
    <message>
        <source>; it is checked again before each delivery</source>
        <translation>; vor jeder Zustellung wird erneut geprüft</translation>
    </message>
    <message>
        <source>endpoint &quot;%1&quot; is configured in %2 and read-only here; change it there</source>
        <translation>Endpunkt &quot;%1&quot; ist in %2 konfiguriert und hier nur lesbar; dort ändern</translation>
    </message>
    <message>
        <source>no endpoint &quot;%1&quot;</source>
        <translation>kein Endpunkt &quot;%1&quot;</translation>
    </message>
    <message>
        <source>endpoints made at run time need the event log (event_log.driver is &quot;none&quot;)</source>
        <translation>zur Laufzeit angelegte Endpunkte brauchen das Ereignisprotokoll (event_log.driver ist &quot;none&quot;)</translation>
    </message>
    <message>
        <source>id: expected a string</source>
        <translation>id: Zeichenkette erwartet</translation>
    </message>
    <message>
        <source>id: &quot;%1&quot; is not valid: 1 to 64 letters, digits and . _ : -, starting with a letter or digit</source>
        <translation>id: &quot;%1&quot; ist ungültig: 1 bis 64 Buchstaben, Ziffern und . _ : -, beginnend mit Buchstabe oder Ziffer</translation>
    </message>
    <message>
        <source>an endpoint with the id &quot;%1&quot; exists already</source>
        <translation>ein Endpunkt mit der ID &quot;%1&quot; besteht bereits</translation>
    </message>
    <message>
        <source>id: an endpoint&apos;s id cannot change; make a new one</source>
        <translation>id: die ID eines Endpunkts kann sich nicht ändern; einen neuen anlegen</translation>
    </message>
    <message>
        <source>endpoint &quot;%1&quot; was changed or deleted meanwhile; read it again</source>
        <translation>Endpunkt &quot;%1&quot; wurde inzwischen geändert oder gelöscht; erneut lesen</translation>
    </message>
    <message>
        <source>endpoint &quot;%1&quot; is configured in %2: rotate its secret there (list the new and the old one under &quot;secrets&quot;)</source>
        <translation>Endpunkt &quot;%1&quot; ist in %2 konfiguriert: sein Geheimnis dort wechseln (das neue und das alte unter &quot;secrets&quot; aufführen)</translation>
    </message>
    <message>
        <source>grace: at most 30 days, not %1 ms</source>
        <translation>grace: höchstens 30 Tage, nicht %1 ms</translation>
    </message>
    <message>
        <source>%1 headers; at most %2 are allowed</source>
        <translation>%1 Header; höchstens %2 sind erlaubt</translation>
    </message>
    <message>
        <source>too long: names may have %1 bytes, values %2</source>
        <translation>zu lang: Namen dürfen %1 Bytes haben, Werte %2</translation>
    </message>
    <message>
        <source>&quot;%1&quot; matches none of the event types: %2</source>
        <translation>&quot;%1&quot; passt auf keinen der Ereignistypen: %2</translation>
    </message>
    <message>
        <source>the server makes the secret and shows it once; rotate it to get a new one</source>
        <translation>der Server erzeugt das Geheimnis und zeigt es einmal; für ein neues wechseln (rotate)</translation>
    </message>
    <message>
        <source>unknown key; known are: %1</source>
        <translation>unbekannter Schlüssel; bekannt sind: %1</translation>
    </message>
    <message>
        <source>webhook endpoints: %1: %2</source>
        <translation>Webhook-Endpunkte: %1: %2</translation>
    </message>
    <message>
        <source>cannot read the revision</source>
        <translation>kann die Revision nicht lesen</translation>
    </message>
    <message>
        <source>cannot read them</source>
        <translation>kann sie nicht lesen</translation>
    </message>
    <message>
        <source>cannot read endpoint %1</source>
        <translation>kann Endpunkt %1 nicht lesen</translation>
    </message>
    <message>
        <source>webhook endpoints: cannot begin a transaction: %1</source>
        <translation>Webhook-Endpunkte: kann keine Transaktion beginnen: %1</translation>
    </message>
    <message>
        <source>cannot move the revision on</source>
        <translation>kann die Revision nicht weiterzählen</translation>
    </message>
    <message>
        <source>webhook endpoints: cannot commit: %1</source>
        <translation>Webhook-Endpunkte: kann nicht festschreiben: %1</translation>
    </message>
    <message>
        <source>cannot add endpoint %1</source>
        <translation>kann Endpunkt %1 nicht anlegen</translation>
    </message>
    <message>
        <source>cannot change endpoint %1</source>
        <translation>kann Endpunkt %1 nicht ändern</translation>
    </message>
    <message>
        <source>cannot rotate the secret of endpoint %1</source>
        <translation>kann das Geheimnis von Endpunkt %1 nicht wechseln</translation>
    </message>
    <message>
        <source>cannot delete endpoint %1</source>
        <translation>kann Endpunkt %1 nicht löschen</translation>
    </message>
    <message>
        <source>cannot delete the deliveries of endpoint %1</source>
        <translation>kann die Zustellungen von Endpunkt %1 nicht löschen</translation>
    </message>
    <message>
        <source>the stored secret is not valid</source>
        <translation>das gespeicherte Geheimnis ist ungültig</translation>
    </message>
</context>
</TS>

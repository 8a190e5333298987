// The webhooks page (docs/http.md): endpoints with their health, an editor for the ones made at run
// time, a test event, and each endpoint's deliveries with every attempt and redelivery. Everything
// goes through the HTTP API with the page's token; the list refreshes every two seconds.
(function () {
  'use strict';

  var EVENT_TYPES = ['entry.created', 'entry.updated', 'entry.deleted', 'qa.validation_failed',
                     'task.claimed', 'task.completed', 'kb.indexed', 'schema.changed'];
  var REFRESH_MS = 2000;
  var params = new URLSearchParams(location.search);
  var token = params.get('token') || '';
  var endpoints = [];
  var editing = null;   // the endpoint being edited, null for a new one
  var historyOf = null; // the endpoint whose deliveries are shown

  function $(id) { return document.getElementById(id); }

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === 'text') node.textContent = attributes[name];
      else if (name === 'onclick') node.addEventListener('click', attributes[name]);
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  // One API call; rejects with the server's message for anything but 2xx.
  function api(method, path, body) {
    var headers = {};
    if (token) headers.Authorization = 'Bearer ' + token;
    var options = { method: method, headers: headers };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    return fetch(path, options).then(function (response) {
      return response.text().then(function (text) {
        var json = {};
        try { json = text ? JSON.parse(text) : {}; } catch (e) { json = { message: text }; }
        if (!response.ok) throw new Error(json.message || ('HTTP ' + response.status));
        return json;
      });
    });
  }

  function say(text, ok) {
    var message = $('message');
    message.textContent = text;
    message.className = ok ? 'ok' : '';
    message.hidden = !text;
  }

  function time(value) {
    if (!value) return '—';
    var date = new Date(value);
    return isNaN(date) ? value : date.toLocaleString();
  }

  // endpoints --------------------------------------------------------------------------------

  function refresh() {
    return api('GET', 'api/webhooks').then(function (answer) {
      endpoints = answer.endpoints || [];
      renderEndpoints();
      $('status').textContent = 'updated ' + new Date().toLocaleTimeString();
      if (historyOf) return loadHistory();
    }).catch(function (error) {
      $('status').textContent = 'cannot read the endpoints: ' + error.message;
    });
  }

  function button(label, action, name) {
    return element('button', { type: 'button', 'data-action': name || label, text: label,
                               onclick: action });
  }

  function renderEndpoints() {
    var body = $('endpoints').tBodies[0];
    body.textContent = '';
    $('empty').hidden = endpoints.length > 0;
    endpoints.forEach(function (endpoint) {
      var health = endpoint.health || {};
      var state = health.state || (endpoint.enabled ? '' : 'off');
      var runtime = endpoint.origin === 'runtime';
      var idCell = element('td', {}, [
        element('strong', { text: endpoint.id }),
        runtime ? null : element('span', { 'class': 'tag', text: 'pyrite.yaml, read-only' }),
        endpoint.enabled ? null : element('span', { 'class': 'tag', text: 'disabled' }),
        element('span', { 'class': 'url', text: endpoint.url || '' }),
      ]);
      var actions = element('td', {}, [
        button('Test', function () { sendTest(endpoint); }),
        button('Deliveries', function () { showHistory(endpoint); }),
      ]);
      if (runtime) {
        actions.appendChild(button('Edit', function () { openEditor(endpoint); }));
        actions.appendChild(button(endpoint.enabled ? 'Disable' : 'Enable',
                                   function () { toggle(endpoint); }, 'Toggle'));
        actions.appendChild(button('Rotate secret', function () { rotate(endpoint); }));
        actions.appendChild(button('Delete', function () { remove(endpoint); }));
      }
      var row = element('tr', { 'data-endpoint': endpoint.id }, [
        idCell,
        element('td', { text: describeEvents(endpoint) }),
        element('td', {}, [
          state ? element('span', { 'class': 'health ' + state, text: state, 'data-health': state })
                : element('span', { text: '—' }),
          health.consecutive_failures
            ? element('span', { 'class': 'url', text: health.consecutive_failures +
                                                      ' failed in a row' })
            : null,
        ]),
        element('td', { 'data-pending': '', text: String(health.pending || 0) }),
        element('td', { 'data-dead': '', text: String(health.dead || 0) }),
        element('td', { text: time(health.last_success) }),
        element('td', { text: health.paused_until ? 'paused until ' + time(health.paused_until)
                                                  : time(health.next_attempt) }),
        actions,
      ]);
      body.appendChild(row);
    });
  }

  function describeEvents(endpoint) {
    var events = (endpoint.events || []).filter(function (p) { return p !== '*'; });
    var text = events.join(', ') || 'every event';
    if (endpoint.kb) text += ' in ' + endpoint.kb;
    if (endpoint.entry_type) text += ' (' + endpoint.entry_type + ')';
    return text;
  }

  function showSecret(endpoint) {
    if (!endpoint.secret) return;
    $('secret-id').textContent = endpoint.id;
    $('secret-value').textContent = endpoint.secret;
    $('secret').hidden = false;
  }

  function toggle(endpoint) {
    api('PATCH', 'api/webhooks/endpoints/' + encodeURIComponent(endpoint.id),
        { enabled: !endpoint.enabled })
      .then(function () { say(endpoint.id + (endpoint.enabled ? ' disabled' : ' enabled'), true); })
      .catch(function (error) { say(error.message); })
      .then(refresh);
  }

  function rotate(endpoint) {
    if (!confirm('A new secret for ' + endpoint.id + '? The current one keeps signing for 24 hours.'))
      return;
    api('POST', 'api/webhooks/endpoints/' + encodeURIComponent(endpoint.id) + '/rotate-secret',
        { grace: '24h' })
      .then(function (answer) { showSecret(answer); say('secret rotated', true); })
      .catch(function (error) { say(error.message); })
      .then(refresh);
  }

  function remove(endpoint) {
    if (!confirm('Delete ' + endpoint.id + ' and its deliveries?')) return;
    api('DELETE', 'api/webhooks/endpoints/' + encodeURIComponent(endpoint.id))
      .then(function (answer) {
        say(endpoint.id + ' deleted with ' + answer.deliveries_removed + ' deliveries', true);
        if (historyOf && historyOf.id === endpoint.id) closeHistory();
      })
      .catch(function (error) { say(error.message); })
      .then(refresh);
  }

  function sendTest(endpoint) {
    $('test').hidden = false;
    $('test-heading').textContent = 'Test event to ' + endpoint.id;
    $('test-answer').textContent = 'sending…';
    api('POST', 'api/webhooks/test?endpoint=' + encodeURIComponent(endpoint.id))
      .then(function (answer) {
        var lines = ['status: ' + (answer.status || 'no answer'),
                     'duration: ' + (answer.duration_ms || 0) + ' ms'];
        if (answer.error) lines.push('error: ' + answer.error);
        if (answer.note) lines.push('note: ' + answer.note);
        if (answer.response) lines.push('response: ' + answer.response);
        $('test-answer').textContent = lines.join('\n');
        $('test-answer').setAttribute('data-status', String(answer.status || 0));
      })
      .catch(function (error) { $('test-answer').textContent = error.message; });
  }

  // editor -----------------------------------------------------------------------------------

  function form() { return $('endpoint-form'); }

  function openEditor(endpoint) {
    editing = endpoint || null;
    var f = form();
    f.reset();
    $('editor').hidden = false;
    $('editor-heading').textContent = endpoint ? 'Edit ' + endpoint.id : 'New endpoint';
    f.elements.id.readOnly = !!endpoint;
    f.elements.headers.placeholder = endpoint && endpoint.headers && endpoint.headers.length
      ? 'unchanged (' + endpoint.headers.join(', ') + '); type all of them to replace'
      : 'X-Team: docs (one per line)';
    if (!endpoint) { f.elements.url.focus(); return; }
    f.elements.id.value = endpoint.id;
    f.elements.url.value = endpoint.url;
    var patterns = [];
    (endpoint.events || []).forEach(function (pattern) {
      var box = f.querySelector('input[name=events][value="' + pattern + '"]');
      if (box) box.checked = true; else if (pattern !== '*') patterns.push(pattern);
    });
    f.elements.patterns.value = patterns.join(', ');
    f.elements.kb.value = endpoint.kb || '';
    f.elements.type.value = endpoint.entry_type || '';
    f.elements.format.value = endpoint.format || 'cloudevents';
    f.elements.timeout.value = endpoint.timeout_ms ? endpoint.timeout_ms + 'ms' : '';
    f.elements.max_attempts.value = endpoint.max_attempts || '';
    f.elements.enabled.checked = endpoint.enabled !== false;
    f.elements.allow_private.checked = !!endpoint.allow_private;
  }

  function closeEditor() {
    $('editor').hidden = true;
    editing = null;
  }

  // The form as the API's definition; on an edit, an emptied field is null (back to its default).
  function definition() {
    var f = form();
    var cleared = editing ? null : undefined;
    var value = function (name) { return f.elements[name].value.trim(); };
    var events = Array.prototype.filter.call(f.querySelectorAll('input[name=events]'),
                                             function (box) { return box.checked; })
      .map(function (box) { return box.value; })
      .concat(value('patterns').split(',').map(function (p) { return p.trim(); })
              .filter(Boolean));
    var result = { url: value('url'), format: f.elements.format.value,
                   enabled: f.elements.enabled.checked,
                   allow_private: f.elements.allow_private.checked };
    if (!editing && value('id')) result.id = value('id');
    result.events = events.length ? events : cleared;
    result.filter = value('kb') || value('type')
      ? { kb: value('kb') || undefined, type: value('type') || undefined } : cleared;
    result.timeout = value('timeout') || cleared;
    result.max_attempts = value('max_attempts') ? Number(value('max_attempts')) : cleared;
    if (value('headers')) {
      result.headers = {};
      value('headers').split('\n').forEach(function (line) {
        var colon = line.indexOf(':');
        if (colon > 0) result.headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
      });
    }
    return JSON.parse(JSON.stringify(result, function (key, v) {
      return v === undefined ? undefined : v;
    }));
  }

  function save(event) {
    event.preventDefault();
    var body = definition();
    var request = editing
      ? api('PATCH', 'api/webhooks/endpoints/' + encodeURIComponent(editing.id), body)
      : api('POST', 'api/webhooks/endpoints', body);
    request.then(function (answer) {
      var warnings = (answer.warnings || []).join('; ');
      say(answer.id + ' saved' + (warnings ? ' (' + warnings + ')' : ''), true);
      showSecret(answer);
      closeEditor();
      return refresh();
    }).catch(function (error) { say(error.message); });
  }

  // deliveries -------------------------------------------------------------------------------

  function showHistory(endpoint) {
    historyOf = endpoint;
    $('history').hidden = false;
    $('history-heading').textContent = 'Deliveries to ' + endpoint.id;
    loadHistory();
  }

  function closeHistory() {
    historyOf = null;
    $('history').hidden = true;
  }

  function loadHistory() {
    var id = historyOf.id;
    return api('GET', 'api/webhooks/deliveries?limit=50&endpoint=' + encodeURIComponent(id))
      .then(function (answer) {
        if (!historyOf || historyOf.id !== id) return;
        renderHistory(answer.deliveries || []);
      })
      .catch(function (error) { say(error.message); });
  }

  function renderHistory(deliveries) {
    var body = $('deliveries').tBodies[0];
    body.textContent = '';
    deliveries.forEach(function (delivery) {
      var attempts = element('ol', { 'class': 'attempts' }, (delivery.history || []).map(
        function (attempt) {
          var failed = !(attempt.status >= 200 && attempt.status < 300);
          return element('li', { 'class': failed ? 'failed' : '', 'data-status': attempt.status,
                                 text: time(attempt.time) + ' — ' + (attempt.status || 'no answer') +
                                       ' in ' + attempt.duration_ms + ' ms' +
                                       (attempt.error ? ' — ' + attempt.error : '') +
                                       (attempt.response ? ' — ' + attempt.response : '') });
        }));
      var redeliver = button('Redeliver', function () {
        api('POST', 'api/webhooks/redeliver?id=' + delivery.id)
          .then(function () { say('delivery ' + delivery.id + ' is pending again', true); })
          .catch(function (error) { say(error.message); })
          .then(refresh);
      });
      body.appendChild(element('tr', { 'data-delivery': delivery.id, 'data-state': delivery.state }, [
        element('td', { text: String(delivery.id) }),
        element('td', { text: '#' + delivery.sequence + ' ' + delivery.event_id }),
        element('td', { text: delivery.state +
                              (delivery.next_attempt ? ', next ' + time(delivery.next_attempt) : '') }),
        element('td', {}, [attempts]),
        element('td', {}, [redeliver]),
      ]));
    });
  }

  function redeliverDead() {
    api('POST', 'api/webhooks/redeliver?dead=true&endpoint=' + encodeURIComponent(historyOf.id))
      .then(function (answer) { say(answer.redelivered + ' dead deliveries are pending again', true); })
      .catch(function (error) { say(error.message); })
      .then(refresh);
  }

  // start ------------------------------------------------------------------------------------

  function start() {
    var types = $('event-types');
    EVENT_TYPES.forEach(function (type) {
      types.appendChild(element('label', {}, [
        element('input', { type: 'checkbox', name: 'events', value: type }),
        document.createTextNode(' ' + type),
      ]));
    });
    $('graph-link').href = './' + location.search;
    $('new-endpoint').addEventListener('click', function () { openEditor(null); });
    $('cancel').addEventListener('click', closeEditor);
    form().addEventListener('submit', save);
    $('secret-done').addEventListener('click', function () { $('secret').hidden = true; });
    $('redeliver-dead').addEventListener('click', redeliverDead);
    $('close-history').addEventListener('click', closeHistory);
    refresh();
    setInterval(refresh, REFRESH_MS);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

#pragma once

#include "webhookendpoint.h"

#include <QStringList>

namespace Pyrite {
class ConfigReader;
}

namespace Pyrite::Internal {

// Reads one endpoint's map by the rules of docs/webhooks.md, wherever endpoints come from, so an
// endpoint made through the API is checked exactly as a configured one: pyrite.yaml and kb.yaml
// (secrets from the file or the environment; unknown keys are warnings), an HTTP request (the
// server makes the secret; unknown keys are errors) and a definition stored by such a request.
// Errors and warnings go to the reader, which names the file or request and the key.
class WebhookEndpointReader
{
public:
    enum class Source { Config, Request, Stored };

    // Everything but the id: a configured endpoint's defaults to its URL, a runtime one's is the
    // store's key.
    static WebhookEndpoint read(ConfigReader &item, const QString &scopeKb, Source source);
    // The keys an endpoint's map may have.
    static QStringList keys(Source source);
    // A runtime endpoint's id: 1 to 64 letters, digits and . _ : -, starting with a letter or
    // digit (it appears in URL paths).
    static bool isValidRuntimeId(const QString &id);
};

} // namespace Pyrite::Internal

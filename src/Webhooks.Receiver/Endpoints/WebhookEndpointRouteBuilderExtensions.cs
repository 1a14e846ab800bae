using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Webhooks.Receiver;

/// <summary>Maps Webhooks.Functions receiver endpoints in a minimal API.</summary>
public static class WebhookEndpointRouteBuilderExtensions
{
    /// <summary>The logger category of receiver endpoints.</summary>
    public const string LoggerCategory = "Webhooks.Receiver";

    /// <summary>
    /// Maps <c>POST {pattern}</c> as a webhook receiver with the <see cref="WebhookReceiverOptions"/> registered in the
    /// service container (for example with <c>services.Configure&lt;WebhookReceiverOptions&gt;(section)</c>).
    /// </summary>
    /// <param name="endpoints">The application or route group.</param>
    /// <param name="pattern">The route, e.g. <c>/hooks</c>.</param>
    /// <param name="handler">Called once per event that verifies and has not been processed before.</param>
    /// <returns>The endpoint builder, to add metadata or filters.</returns>
    /// <exception cref="InvalidOperationException">The options are invalid; the message names the setting.</exception>
    /// <inheritdoc cref="MapWebhook(IEndpointRouteBuilder, string, WebhookReceiverOptions, WebhookHandler)" path="/remarks"/>
    public static RouteHandlerBuilder MapWebhook(this IEndpointRouteBuilder endpoints, string pattern, WebhookHandler handler)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<WebhookReceiverOptions>>().Value;
        return endpoints.MapWebhook(pattern, options, handler);
    }

    /// <summary>Maps <c>POST {pattern}</c> as a webhook receiver configured by <paramref name="configure"/>.</summary>
    /// <param name="endpoints">The application or route group.</param>
    /// <param name="pattern">The route, e.g. <c>/hooks</c>.</param>
    /// <param name="handler">Called once per event that verifies and has not been processed before.</param>
    /// <param name="configure">Sets the options, starting from the defaults.</param>
    /// <returns>The endpoint builder, to add metadata or filters.</returns>
    /// <exception cref="InvalidOperationException">The options are invalid; the message names the setting.</exception>
    /// <inheritdoc cref="MapWebhook(IEndpointRouteBuilder, string, WebhookReceiverOptions, WebhookHandler)" path="/remarks"/>
    public static RouteHandlerBuilder MapWebhook(
        this IEndpointRouteBuilder endpoints, string pattern, WebhookHandler handler, Action<WebhookReceiverOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new WebhookReceiverOptions();
        configure(options);
        return endpoints.MapWebhook(pattern, options, handler);
    }

    /// <summary>Maps <c>POST {pattern}</c> as a webhook receiver.</summary>
    /// <param name="endpoints">The application or route group.</param>
    /// <param name="pattern">The route, e.g. <c>/hooks</c>.</param>
    /// <param name="options">The receiver's settings; read once, when the route is mapped.</param>
    /// <param name="handler">Called once per event that verifies and has not been processed before.</param>
    /// <returns>The endpoint builder, to add metadata or filters.</returns>
    /// <exception cref="InvalidOperationException">The options are invalid; the message names the setting.</exception>
    /// <remarks>
    /// Answers: <c>401</c> when the signature headers are missing, malformed, do not match, or the timestamp is outside
    /// the tolerance; <c>400</c> when a verified body is not an event envelope; <c>413</c> for a body over the limit;
    /// <c>200</c> with <see cref="WebhookAcknowledgement"/> when the handler completed, or without calling it when the
    /// event id was already processed; <c>409</c> while another request is processing the same event; <c>500</c> when
    /// the handler threw. Duplicates are detected by event id, so a retry, a redelivery and a concurrent second
    /// delivery of one event all reach the handler at most once after it succeeded. The clock is the
    /// <see cref="TimeProvider"/> in the service container, else <see cref="TimeProvider.System"/>.
    /// </remarks>
    public static RouteHandlerBuilder MapWebhook(
        this IEndpointRouteBuilder endpoints, string pattern, WebhookReceiverOptions options, WebhookHandler handler)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        options.Validate();

        var services = endpoints.ServiceProvider;
        var timeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
        WebhookVerifier verifier;
        try
        {
            verifier = new WebhookVerifier([.. options.Secrets, .. options.PublicKeys], timeProvider)
            {
                Tolerance = options.Tolerance,
                AcceptHexSignatures = options.AcceptHexSignatures,
            };
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException(
                $"{nameof(WebhookReceiverOptions)}.{nameof(WebhookReceiverOptions.Secrets)}: {ex.Message}", ex);
        }

        var store = options.IdempotencyStore
            ?? services.GetService<IWebhookIdempotencyStore>()
            ?? new InMemoryWebhookIdempotencyStore(timeProvider);
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(LoggerCategory) ?? NullLogger.Instance;

        var endpoint = new WebhookEndpoint(verifier, store, options.ProcessingLease, options.MaxBodyBytes, handler, logger);
        return endpoints.MapPost(pattern, (Func<HttpContext, Task<IResult>>)endpoint.HandleAsync);
    }
}

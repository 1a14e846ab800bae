using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Webhooks.Functions.Portal;

/// <summary>
/// A form posted without its anti-forgery token (an old tab, an expired cookie, another site's page) gets a page that
/// says what happened and what to do, instead of a bare 400.
/// </summary>
internal sealed class AntiforgeryFailurePage : IAlwaysRunResultFilter
{
    private const string Html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Form expired · Webhooks portal</title><link rel="stylesheet" href="/portal/portal.css"></head>
        <body><main id="main"><h1>This form has expired</h1>
        <p class="message error" role="alert">The form was sent without a valid security token, so nothing was changed.
        Go back, reload the page and send it again.</p>
        <p><a href="/portal">Back to the portal</a></p></main></body></html>
        """;

    public void OnResultExecuting(ResultExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Result is IAntiforgeryValidationFailedResult)
        {
            context.Result = new ContentResult { StatusCode = StatusCodes.Status400BadRequest, ContentType = "text/html; charset=utf-8", Content = Html };
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}

using Microsoft.Extensions.Options;

namespace Webhooks.Functions.Delivery;

/// <summary>Stops the app at start on a bad <c>Delivery</c> setting, naming the key.</summary>
internal sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        var failures = new List<string>();
        if (options.AttemptTimeout < TimeSpan.FromMilliseconds(100) || options.AttemptTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add("Delivery:AttemptTimeout must be between 00:00:00.1 and 00:05:00.");
        }
        if (options.Jitter is < 0 or > 0.5 || double.IsNaN(options.Jitter))
        {
            failures.Add("Delivery:Jitter must be between 0 and 0.5.");
        }
        if (options.MaxRetryAfter < TimeSpan.Zero || options.MaxRetryAfter > TimeSpan.FromDays(1))
        {
            failures.Add("Delivery:MaxRetryAfter must be between 00:00:00 and 1.00:00:00.");
        }
        if (options.UnstartedGrace < TimeSpan.FromSeconds(1) || options.UnstartedGrace > TimeSpan.FromHours(1))
        {
            failures.Add("Delivery:UnstartedGrace must be between 00:00:01 and 01:00:00.");
        }
        if (options.MaxConcurrentAttempts < 1 || options.MaxConcurrentAttemptsPerHost < 1)
        {
            failures.Add("Delivery:MaxConcurrentAttempts and Delivery:MaxConcurrentAttemptsPerHost must be at least 1.");
        }
        var policies = RetryPolicies.Merge(options.Policies);
        foreach (var (policyName, schedule) in policies)
        {
            if (!RetryPolicies.TryParseSchedule(schedule, out _, out var error))
            {
                failures.Add($"Delivery:Policies:{policyName} {error}.");
            }
        }
        if (!policies.ContainsKey(options.DefaultPolicy))
        {
            failures.Add($"Delivery:DefaultPolicy '{options.DefaultPolicy}' is not a policy; known: {string.Join(", ", policies.Keys)}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

namespace Webhooks.Functions.Crawling;

/// <summary>
/// The rules of one site's robots.txt that apply to us (RFC 9309): the groups naming our product token if there are
/// any, else the <c>*</c> groups. A path is allowed unless the longest matching rule is a <c>Disallow</c>; on a tie
/// <c>Allow</c> wins; <c>/robots.txt</c> itself is always allowed.
/// </summary>
internal sealed class RobotsRules
{
    /// <summary>The product token we match in <c>User-agent</c> lines (case-insensitive).</summary>
    public const string ProductToken = "Webhooks.Functions";

    public static readonly RobotsRules AllowAll = new([]);

    private readonly IReadOnlyList<RobotsRule> _rules;

    private RobotsRules(IReadOnlyList<RobotsRule> rules) => _rules = rules;

    public IReadOnlyList<RobotsRule> Rules => _rules;

    public static RobotsRules Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ours = new List<RobotsRule>();
        var anyAgent = new List<RobotsRule>();
        var matchesUs = false;
        var matchesAny = false;
        var groupHasRules = false;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine;
            var comment = line.IndexOf('#', StringComparison.Ordinal);
            if (comment >= 0)
            {
                line = line[..comment];
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }
            var key = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "user-agent":
                    if (groupHasRules)
                    {
                        // A user-agent line after rules starts a new group.
                        matchesUs = matchesAny = groupHasRules = false;
                    }
                    var agent = value.Split('/', ' ', '\t')[0];
                    matchesUs |= agent.Equals(ProductToken, StringComparison.OrdinalIgnoreCase);
                    matchesAny |= agent == "*";
                    break;
                case "allow":
                case "disallow":
                    groupHasRules = true;
                    if (value.Length == 0)
                    {
                        // "Disallow:" with no path allows everything; as a rule it matches nothing.
                        continue;
                    }
                    var rule = new RobotsRule(key == "allow", value);
                    if (matchesUs)
                    {
                        ours.Add(rule);
                    }
                    if (matchesAny)
                    {
                        anyAgent.Add(rule);
                    }
                    break;
                default:
                    break;
            }
        }
        return new RobotsRules(ours.Count > 0 || MentionsUs(text) ? ours : anyAgent);
    }

    /// <summary><paramref name="pathAndQuery"/> as in <see cref="Uri.PathAndQuery"/>.</summary>
    public bool IsAllowed(string pathAndQuery)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        if (pathAndQuery == "/robots.txt")
        {
            return true;
        }
        RobotsRule? best = null;
        foreach (var rule in _rules)
        {
            if (!rule.Matches(pathAndQuery))
            {
                continue;
            }
            if (best is null || rule.Specificity > best.Specificity || (rule.Specificity == best.Specificity && rule.Allow))
            {
                best = rule;
            }
        }
        return best?.Allow ?? true;
    }

    /// <summary>A group naming us with no rules (only "Disallow:") still means the <c>*</c> groups do not apply to us.</summary>
    private static bool MentionsUs(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("user-agent", StringComparison.OrdinalIgnoreCase)
                && trimmed.Contains(ProductToken, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}

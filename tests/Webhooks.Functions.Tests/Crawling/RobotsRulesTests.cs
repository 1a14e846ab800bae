using Webhooks.Functions.Crawling;

namespace Webhooks.Functions.Tests.Crawling;

public sealed class RobotsRulesTests
{
    [Theory]
    [InlineData("/", true)]
    [InlineData("/private", false)]
    [InlineData("/private/page", false)]
    [InlineData("/private/public/x", true)]
    [InlineData("/page.pdf", false)]
    [InlineData("/page.pdf?x=1", true)]
    [InlineData("/a/b/tmp/c", false)]
    [InlineData("/robots.txt", true)]
    public void IsAllowed_LongestMatchWithWildcards_Decides(string path, bool allowed)
    {
        var rules = RobotsRules.Parse("""
            # comment
            User-agent: *
            Disallow: /private
            Allow: /private/public
            Disallow: /*.pdf$
            Disallow: /*/tmp/
            Disallow: /robots.txt
            """);
        Assert.Equal(allowed, rules.IsAllowed(path));
    }

    [Fact]
    public void IsAllowed_TieBetweenAllowAndDisallow_Allows()
    {
        var rules = RobotsRules.Parse("User-agent: *\nDisallow: /page\nAllow: /page\n");
        Assert.True(rules.IsAllowed("/page"));
    }

    [Fact]
    public void Parse_GroupForOurProductToken_ReplacesStarGroup()
    {
        var rules = RobotsRules.Parse("""
            User-agent: *
            Disallow: /

            User-agent: OtherBot
            User-agent: webhooks.functions
            Disallow: /mine
            """);
        Assert.True(rules.IsAllowed("/anything"));
        Assert.False(rules.IsAllowed("/mine/x"));
    }

    [Fact]
    public void Parse_OurGroupWithEmptyDisallow_AllowsEverything()
    {
        var rules = RobotsRules.Parse("User-agent: *\nDisallow: /\n\nUser-agent: Webhooks.Functions\nDisallow:\n");
        Assert.True(rules.IsAllowed("/x"));
    }

    [Fact]
    public void Parse_OtherAgentsOnly_NoRestrictions()
    {
        var rules = RobotsRules.Parse("User-agent: Googlebot\nDisallow: /\n");
        Assert.True(rules.IsAllowed("/x"));
        Assert.Empty(rules.Rules);
    }

    [Fact]
    public void Parse_ConsecutiveAgentsShareRules_AndRulesBeforeAnyAgentAreIgnored()
    {
        var rules = RobotsRules.Parse("Disallow: /early\nUser-agent: a\nUser-agent: *\nDisallow: /shared\nUser-agent: b\nDisallow: /b-only\n");
        Assert.True(rules.IsAllowed("/early"));
        Assert.False(rules.IsAllowed("/shared/1"));
        Assert.True(rules.IsAllowed("/b-only"));
    }
}

using Webhooks.Functions.Crawling;

namespace Webhooks.Functions.Tests.Crawling;

public sealed class CrawlUrlTests
{
    [Theory]
    [InlineData("HTTP://Example.COM", "http://example.com/")]
    [InlineData("http://example.com:80/a#frag", "http://example.com/a")]
    [InlineData("https://example.com:443/a?b=1#c", "https://example.com/a?b=1")]
    [InlineData("http://example.com:8080/A/b", "http://example.com:8080/A/b")]
    [InlineData("http://user:pw@example.com/x", "http://example.com/x")]
    public void Normalize_HttpUrl_LowercasesAndDropsDefaults(string input, string expected) =>
        Assert.Equal(expected, CrawlUrl.Normalize(new Uri(input))!.AbsoluteUri);

    [Theory]
    [InlineData("mailto:someone@example.com")]
    [InlineData("ftp://example.com/file")]
    [InlineData("javascript:alert(1)")]
    public void Normalize_OtherSchemes_AreNull(string input) => Assert.Null(CrawlUrl.Normalize(new Uri(input)));

    [Fact]
    public void Origin_DiffersByPortAndScheme()
    {
        Assert.Equal(CrawlUrl.Origin(new Uri("http://a.example/x")), CrawlUrl.Origin(new Uri("http://A.example:80/y")));
        Assert.NotEqual(CrawlUrl.Origin(new Uri("http://a.example/")), CrawlUrl.Origin(new Uri("http://a.example:81/")));
        Assert.NotEqual(CrawlUrl.Origin(new Uri("http://a.example/")), CrawlUrl.Origin(new Uri("https://a.example/")));
    }
}

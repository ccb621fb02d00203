using Challenge.ApiConventions;
using Challenge.Contracts.Validation;
using Challenge.Data;

namespace Challenge.UnitTests;

public sealed class SearchAndPagingTests
{
    [Theory]
    [InlineData("acme", "%acme%")]
    [InlineData("100%", "%100!%%")]
    [InlineData("a_b", "%a!_b%")]
    [InlineData("wow!", "%wow!!%")]
    [InlineData(@"back\slash", @"%back\slash%")]
    public void ALikePatternMatchesTheTextLiterallyAnywhere(string text, string pattern) =>
        Assert.Equal(pattern, LikePattern.Contains(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void NoSearchTextMeansNoFilter(string? text) => Assert.Null(LikePattern.Contains(text));

    [Fact]
    public void AnAbsentLimitAndCursorMeanTheFirstPageOfTen()
    {
        var errors = new ValidationErrors();

        var page = new PageQuery().Validate(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(new PageRequest(10, 0), page);
        Assert.Equal(11, page.Take);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(101, 0)]
    [InlineData(10, -1)]
    public void ALimitOutside1To100OrANegativeCursorIsAnError(int limit, long cursor)
    {
        var errors = new ValidationErrors();

        new PageQuery(limit, cursor).Validate(errors);

        Assert.False(errors.IsEmpty);
    }

    [Fact]
    public void ALookAheadRowMeansAnotherPageStartingAfterTheLastRowShown()
    {
        var page = new PageRequest(3, 0).ToPage([1L, 2, 3, 4], id => id);

        Assert.Equal([1L, 2, 3], page.Data);
        Assert.Equal(3, page.NextCursor);
    }

    [Fact]
    public void NoLookAheadRowMeansTheLastPage()
    {
        var page = new PageRequest(3, 0).ToPage([1L, 2, 3], id => id);

        Assert.Equal(3, page.Data.Count);
        Assert.Null(page.NextCursor);
    }
}

using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using HyperFunctions.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace HyperFunctions.Functions.Tests.Http;

/// <summary>The shared query-parameter reader, without a server: query strings parsed the way Kestrel parses them.</summary>
public sealed class QueryReaderTests
{
    private static QueryReader Read(string queryString) => new(new QueryCollection(QueryHelpers.ParseQuery(queryString)));

    [Theory]
    [InlineData("", 20)]
    [InlineData("?other=x", 20)]
    [InlineData("?limit=1", 1)]
    [InlineData("?limit=100", 100)]
    [InlineData("?limit=007", 7)]
    [InlineData("?LIMIT=9", 9)] // query names are case-insensitive in ASP.NET Core
    public void A_good_or_absent_limit_is_read_with_the_route_default(string queryString, int expected)
    {
        var query = Read(queryString);
        Assert.Equal(expected, query.Limit(20, 100));
        Assert.True(query.IsValid, string.Join(" ", query.Errors.SelectMany(e => e.Value)));
    }

    [Theory]
    [InlineData("?limit=", "Empty: give a whole number from 1 to 100, or leave it out.")]
    [InlineData("?limit=abc", "Must be a whole number from 1 to 100.")]
    [InlineData("?limit=0", "Must be a whole number from 1 to 100.")]
    [InlineData("?limit=-1", "Must be a whole number from 1 to 100.")]
    [InlineData("?limit=%2B5", "Must be a whole number from 1 to 100.")]
    [InlineData("?limit=%205", "Must be a whole number from 1 to 100.")]
    [InlineData("?limit=5.0", "Must be a whole number from 1 to 100.")]
    [InlineData("?limit=1e2", "Must be a whole number from 1 to 100.")]
    [InlineData("?limit=101", "Must be a whole number from 1 to 100.")]
    [InlineData("?limit=99999999999999999999999", "Must be a whole number from 1 to 100.")]
    [InlineData("?limit=%D9%A5", "Must be a whole number from 1 to 100.")] // Arabic-Indic digit five: digits are ASCII only
    [InlineData("?limit=1,2", "Must be a whole number from 1 to 100.")] // how the Functions host forwards a repeated parameter
    [InlineData("?limit=1&limit=2", "Given 2 times: give it at most once, a whole number from 1 to 100.")]
    [InlineData("?limit=5&limit=", "Given 2 times: give it at most once, a whole number from 1 to 100.")]
    public void A_bad_limit_is_an_error_naming_the_parameter_and_the_range_and_the_default_is_returned(string queryString, string message)
    {
        var query = Read(queryString);
        Assert.Equal(20, query.Limit(20, 100));
        Assert.False(query.IsValid);
        var (name, messages) = Assert.Single(query.Errors);
        Assert.Equal("limit", name);
        Assert.Equal(message, Assert.Single(messages));
    }

    [Fact]
    public void The_default_is_lowered_to_a_configured_maximum_below_it()
    {
        var query = Read("");
        Assert.Equal(10, query.Limit(50, 10));
        Assert.True(query.IsValid);
    }

    [Fact]
    public void Any_whole_number_is_accepted_exactly_when_it_is_in_range()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(
            (from n in Gen.Choose(-1000, 2000) from max in Gen.Choose(1, 1000) select (n, max)).ToArbitrary(), x =>
            {
                var query = Read("?limit=" + Uri.EscapeDataString(x.n.ToString(CultureInfo.InvariantCulture)));
                var limit = query.Limit(1, x.max);
                var inRange = x.n >= 1 && x.n <= x.max;
                return query.IsValid == inRange && limit == (inRange ? x.n : 1) && (inRange || query.Errors.ContainsKey("limit"));
            }));
    }

    [Fact]
    public void Every_bad_parameter_is_named_and_a_route_can_add_its_own()
    {
        var query = Read("?limit=0&before=x&status=&status=FILLED");
        query.Limit(50, 500);
        Assert.Null(query.WholeNumber("before", 1, long.MaxValue));
        Assert.Null(query.Text("status", "one of: A, B"));
        query.Error("status", "Also wrong.");
        Assert.Equal(["before", "limit", "status"], query.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["Given 2 times: give it at most once, one of: A, B.", "Also wrong."], query.Errors["status"]);
        Assert.Equal(["Must be a whole number from 1 to 9223372036854775807."], query.Errors["before"]);
    }

    [Theory]
    [InlineData("?before=9223372036854775807", long.MaxValue)]
    [InlineData("?before=1", 1L)]
    public void A_long_reaches_the_end_of_its_range(string queryString, long expected)
    {
        var query = Read(queryString);
        Assert.Equal(expected, query.WholeNumber("before", 1, long.MaxValue));
        Assert.True(query.IsValid);
    }

    [Fact]
    public void An_absent_optional_number_or_text_is_null_and_valid()
    {
        var query = Read("?limit=3");
        Assert.Null(query.WholeNumber("before", 1, long.MaxValue));
        Assert.Null(query.Text("state", "one of: open, recent"));
        Assert.True(query.IsValid);
    }
}

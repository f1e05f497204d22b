using Rebind.Azure.Tables;

namespace Rebind.Azure.Tests.Tables;

public class QueryFilterTests
{
    [Fact]
    public void CreateQueryFilter_String_QuotesAndDoublesSingleQuotes()
    {
        Assert.Equal("Name eq 'O''Brien ''x'''", TableClient.CreateQueryFilter($"Name eq {"O'Brien 'x'"}"));
    }

    [Fact]
    public void CreateQueryFilter_InjectionAttempt_StaysOneLiteral()
    {
        var evil = "x' or PartitionKey ne '";

        Assert.Equal("RowKey eq 'x'' or PartitionKey ne '''", TableClient.CreateQueryFilter($"RowKey eq {evil}"));
    }

    [Fact]
    public void CreateQueryFilter_DateTimeOffset_UtcDatetimeLiteral()
    {
        var when = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5)).AddTicks(1);

        Assert.Equal("T lt datetime'2026-01-02T08:04:05.0000001Z'", TableClient.CreateQueryFilter($"T lt {when}"));
    }

    [Fact]
    public void CreateQueryFilter_UtcDateTime_DatetimeLiteral()
    {
        Assert.Equal("T eq datetime'2026-01-02T03:04:05.0000000Z'",
            TableClient.CreateQueryFilter($"T eq {new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc)}"));
    }

    [Fact]
    public void CreateQueryFilter_Guid_GuidLiteral()
    {
        Assert.Equal("G eq guid'6f9619ff-8b86-d011-b42d-00c04fc964ff'",
            TableClient.CreateQueryFilter($"G eq {Guid.Parse("6F9619FF-8B86-D011-B42D-00C04FC964FF")}"));
    }

    [Fact]
    public void CreateQueryFilter_Numbers_InvariantWithLongSuffix()
    {
        Assert.Equal("L eq 5000000000L and I eq -3 and D eq 1.5 and W eq 2.0",
            TableClient.CreateQueryFilter($"L eq {5_000_000_000L} and I eq {-3} and D eq {1.5} and W eq {2.0}"));
    }

    [Fact]
    public void CreateQueryFilter_BoolEnumBinaryNull_Literals()
    {
        Assert.Equal("B eq true and C eq 'Red' and X eq X'00ff' and N eq null",
            TableClient.CreateQueryFilter($"B eq {true} and C eq {Color.Red} and X eq {new byte[] { 0, 255 }} and N eq {null}"));
    }

    [Fact]
    public async Task CreateQueryFilter_TypedLiterals_MatchStoredValuesInAzurite()
    {
        var (table, _) = await TestTables.NewTableAsync();
        var id = Guid.NewGuid();
        var when = new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);
        await table.AddEntityAsync(new TableEntity("p", "hit") { ["G"] = id, ["T"] = when, ["L"] = 1L << 40, ["B"] = true, ["S"] = "it's", ["D"] = 2.5 });
        await table.AddEntityAsync(new TableEntity("p", "miss") { ["G"] = Guid.NewGuid(), ["T"] = when.AddDays(1), ["L"] = 1L, ["B"] = false, ["S"] = "its", ["D"] = 3.5 });

        var filters = new[]
        {
            TableClient.CreateQueryFilter($"G eq {id}"),
            TableClient.CreateQueryFilter($"T eq {when}"),
            TableClient.CreateQueryFilter($"L eq {1L << 40}"),
            TableClient.CreateQueryFilter($"B eq {true}"),
            TableClient.CreateQueryFilter($"S eq {"it's"}"),
            TableClient.CreateQueryFilter($"D lt {3.0}"),
        };

        foreach (var filter in filters)
        {
            var found = await TableServiceClientTests.ToListAsync(table.QueryAsync<TableEntity>(filter));
            Assert.True(found.Count == 1 && found[0].RowKey == "hit", $"filter {filter} found [{string.Join(",", found.Select(f => f.RowKey))}]");
        }
    }
}

using Rebind.Azure.Tables;

namespace Rebind.Azure.Tests.Tables;

public class TableEntityTypeTests
{
    private static readonly DateTimeOffset When = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1234567);

    private static AllTypesEntity Sample(string rowKey) => new()
    {
        PartitionKey = "types",
        RowKey = rowKey,
        Text = "héllo 'world' 中文 😀",
        Int32 = int.MinValue,
        Int64 = long.MaxValue,
        Double = 2.0,
        Flag = true,
        When = When,
        WhenUtc = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc).AddTicks(7),
        Id = Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff"),
        Bytes = [0, 1, 2, 254, 255],
        Data = BinaryData.FromString("binary data"),
        Color = Color.Blue,
        MaybeInt = null,
        MaybeLong = -5,
        MaybeGuid = Guid.Empty,
        NotStored = "secret",
    };

    [Fact]
    public async Task TypedEntity_EverySupportedType_RoundTrips()
    {
        var (table, _) = await TestTables.NewTableAsync();
        var written = Sample("poco");

        await table.AddEntityAsync(written);
        var read = (await table.GetEntityAsync<AllTypesEntity>("types", "poco")).Value;

        Assert.Equal(written.Text, read.Text);
        Assert.Equal(written.Int32, read.Int32);
        Assert.Equal(written.Int64, read.Int64);
        Assert.Equal(written.Double, read.Double);
        Assert.Equal(written.Flag, read.Flag);
        Assert.Equal(written.When, read.When);
        Assert.Equal(TimeSpan.Zero, read.When.Offset);
        Assert.Equal(written.WhenUtc, read.WhenUtc);
        Assert.Equal(DateTimeKind.Utc, read.WhenUtc.Kind);
        Assert.Equal(written.Id, read.Id);
        Assert.Equal(written.Bytes, read.Bytes);
        Assert.Equal("binary data", read.Data!.ToString());
        Assert.Equal(Color.Blue, read.Color);
        Assert.Null(read.MaybeInt);
        Assert.Equal(-5, read.MaybeLong);
        Assert.Equal(Guid.Empty, read.MaybeGuid);
        Assert.Null(read.NotStored);
        Assert.NotEqual(default, read.ETag);
        Assert.NotNull(read.Timestamp);
    }

    [Fact]
    public async Task TypedEntity_Written_StoresEdmTypesAndAnnotations()
    {
        var (table, _) = await TestTables.NewTableAsync();
        await table.AddEntityAsync(Sample("wire"));

        var response = await table.GetEntityAsync<TableEntity>("types", "wire");
        var raw = response.GetRawResponse().Content.ToString();
        var read = response.Value;

        Assert.Contains("\"Int64@odata.type\":\"Edm.Int64\"", raw);
        Assert.Contains("\"Int64\":\"9223372036854775807\"", raw);
        Assert.Contains("\"When@odata.type\":\"Edm.DateTime\"", raw);
        Assert.Contains("\"When\":\"2026-03-04T03:06:07.1234567Z\"", raw);
        Assert.Contains("\"Id@odata.type\":\"Edm.Guid\"", raw);
        Assert.Contains("\"Bytes@odata.type\":\"Edm.Binary\"", raw);
        Assert.Contains("\"Bytes\":\"AAEC/v8=\"", raw);
        Assert.IsType<string>(read["Text"]);
        Assert.IsType<int>(read["Int32"]);
        Assert.IsType<long>(read["Int64"]);
        Assert.IsType<double>(read["Double"]);
        Assert.IsType<bool>(read["Flag"]);
        Assert.IsType<DateTimeOffset>(read["When"]);
        Assert.IsType<DateTimeOffset>(read["WhenUtc"]);
        Assert.IsType<Guid>(read["Id"]);
        Assert.IsType<byte[]>(read["Bytes"]);
        Assert.IsType<byte[]>(read["Data"]);
        Assert.Equal("Blue", read["Color"]);
        Assert.False(read.ContainsKey("MaybeInt"));
        Assert.False(read.ContainsKey("NotStored"));
        Assert.False(read.ContainsKey("Computed"));
    }

    [Fact]
    public async Task TableEntity_EverySupportedType_RoundTripsWithTypedGetters()
    {
        var (table, _) = await TestTables.NewTableAsync();
        var id = Guid.NewGuid();
        await table.AddEntityAsync(new TableEntity("types", "dict")
        {
            ["S"] = "s'q",
            ["I"] = 42,
            ["L"] = long.MinValue,
            ["D"] = 0.1,
            ["DWhole"] = 3.0,
            ["B"] = false,
            ["T"] = When,
            ["TDateTime"] = When.UtcDateTime,
            ["G"] = id,
            ["Bin"] = new byte[] { 9, 8, 7 },
            ["BinData"] = new BinaryData(new byte[] { 1 }),
            ["E"] = Color.Green,
            ["Null"] = null,
        });

        var read = (await table.GetEntityAsync<TableEntity>("types", "dict")).Value;

        Assert.Equal("s'q", read.GetString("S"));
        Assert.Equal(42, read.GetInt32("I"));
        Assert.Equal(42L, read.GetInt64("I"));
        Assert.Equal(long.MinValue, read.GetInt64("L"));
        Assert.Equal(0.1, read.GetDouble("D"));
        Assert.Equal(3.0, read.GetDouble("DWhole"));
        Assert.IsType<double>(read["DWhole"]);
        Assert.False(read.GetBoolean("B"));
        Assert.Equal(When, read.GetDateTimeOffset("T"));
        Assert.Equal(When.UtcDateTime, read.GetDateTime("TDateTime"));
        Assert.Equal(id, read.GetGuid("G"));
        Assert.Equal(new byte[] { 9, 8, 7 }, read.GetBinary("Bin"));
        Assert.Equal(new byte[] { 1 }, read.GetBinaryData("BinData")!.ToArray());
        Assert.Equal("Green", read.GetString("E"));
        Assert.False(read.ContainsKey("Null"));
        Assert.Null(read.GetString("Missing"));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(double.MaxValue)]
    [InlineData(double.Epsilon)]
    [InlineData(-0.5)]
    [InlineData(1e15)]
    public async Task TableEntity_SpecialDoubles_RoundTrip(double value)
    {
        var (table, _) = await TestTables.NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "d") { ["D"] = value });

        var read = (await table.GetEntityAsync<TableEntity>("p", "d")).Value;

        Assert.Equal(value, read.GetDouble("D"));
        Assert.IsType<double>(read["D"]);
    }

    [Fact]
    public async Task AddEntityAsync_UnsupportedPropertyType_ThrowsNotSupportedWithoutRequest()
    {
        var (table, counter) = await TestTables.NewTableAsync();

        await Assert.ThrowsAsync<NotSupportedException>(() => table.AddEntityAsync(new TableEntity("p", "r") { ["F"] = 1.5m }));

        Assert.Equal(0, counter.Count);
    }

    [Fact]
    public void GetInt32_PropertyOfOtherType_ThrowsInvalidOperation()
    {
        var entity = new TableEntity("p", "r") { ["S"] = "text" };

        Assert.Throws<InvalidOperationException>(() => entity.GetInt32("S"));
    }
}

using System.Text.Json.Serialization;

namespace HyperFunctions.Domain.Streaming;

/// <summary>
/// Where the keeper's facts come from right now. Wire names: <c>websocket</c>, <c>rest</c>, in storage,
/// logs and metrics (<see cref="DataSourceExtensions.ToWire"/>) and in JSON with a string enum converter
/// (the keeper's <c>/status</c>), so every edge uses the same name.
/// </summary>
public enum DataSource
{
    [JsonStringEnumMemberName("websocket")]
    WebSocket,

    [JsonStringEnumMemberName("rest")]
    Rest,
}

public static class DataSourceExtensions
{
    public static string ToWire(this DataSource source) => source switch
    {
        DataSource.WebSocket => "websocket",
        DataSource.Rest => "rest",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "Not a data source."),
    };
}

namespace HyperFunctions.Domain.Streaming;

/// <summary>Where the keeper's facts come from right now. Wire names: <c>websocket</c>, <c>rest</c>.</summary>
public enum DataSource
{
    WebSocket,
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

using HyperFunctions.Simulator.Core;
using HyperFunctions.Simulator.Exchange;
using HyperFunctions.Simulator.Http;
using HyperFunctions.Simulator.Market;
using HyperFunctions.Simulator.Signing;
using HyperFunctions.Simulator.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HyperFunctions.Simulator;

/// <summary>Wires the simulator's parts (no container: the graph is small and explicit).</summary>
internal sealed class SimulatorComposition
{
    public SimulatorComposition(SimulatorOptions options)
    {
        Options = options;
        Clock = new SimClock(options.TimeProvider);
        Signal = new ChangeSignal();
        Alerts = new AlertInbox(Signal);
        Stats = new SimulatorStats(Signal);
        Registry = new ConnectionRegistry();
        Faults = new SimulatorFaults(Clock, Registry, Stats, Signal);
        State = new ExchangeState(options, Clock, new IdSource(options.Seed));
        Feed = new FeedPublisher(State, Registry);
        var matching = new MatchingEngine(State);
        Ticker = new MarketTicker(State, new MarketMaker(State, matching), Faults, Stats, Feed);
        Funding = new FundingEngine(State, Faults, Stats, Feed);
        Market = new SimulatorMarket(State, Ticker);
        var cancellation = new Cancellation(State, matching);
        Actions = new ExchangeActions(State, new OrderPlacement(State, matching, Faults), cancellation, new ScheduledCancels(State, cancellation, Feed), Feed, Stats);
        CopyTarget = options.CopyTargetBot is { } bot ? new CopyTargetBot(State, Actions, Stats, bot) : null;
        Gate = new RestGate(Clock, Faults, Stats, new WeightBudget(Clock, options.RestWeightPerMinute));
    }

    public SimulatorOptions Options { get; }

    public SimClock Clock { get; }

    public ChangeSignal Signal { get; }

    public SimulatorStats Stats { get; }

    public ConnectionRegistry Registry { get; }

    public SimulatorFaults Faults { get; }

    public ExchangeState State { get; }

    public FeedPublisher Feed { get; }

    public MarketTicker Ticker { get; }

    public FundingEngine Funding { get; }

    public SimulatorMarket Market { get; }

    public ExchangeActions Actions { get; }

    public RestGate Gate { get; }

    public CopyTargetBot? CopyTarget { get; }

    /// <summary>The local run's alert receiver (POST/GET /_sim/alerts): not a venue feature.</summary>
    public AlertInbox Alerts { get; }

    public void MapEndpoints(WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        var handler = new WsMessageHandler(State, new SubscriptionSnapshots(State));
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<WsEndpoint>();
        var ws = new WsEndpoint(Options, Clock, Registry, Faults, Stats, handler, logger);
        app.Map("/ws", new RequestDelegate(ws.HandleAsync));
        app.MapPost("/info", new RequestDelegate(new InfoEndpoint(Gate, new InfoQueries(State, Faults)).HandleAsync));
        app.MapPost("/exchange", new RequestDelegate(new ExchangeEndpoint(Gate, new L1SignerRecovery(Options.IsMainnet), Actions).HandleAsync));
        new ControlEndpoints(Clock, State, Faults, Stats, Registry, Market).Map(app);
        Alerts.Map(app);
    }
}

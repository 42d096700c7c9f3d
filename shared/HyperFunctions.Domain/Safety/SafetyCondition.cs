namespace HyperFunctions.Domain.Safety;

/// <summary>
/// An automatic signal that is still active. Several can hold at once; the mode never rises above the
/// most restrictive active condition, so clearing one cannot mask another.
/// </summary>
/// <param name="Reason">What raised it.</param>
/// <param name="Level">The most permissive mode allowed while it holds (ARMED_SAFE or HALT).</param>
/// <param name="RaisedAt">When it was first raised.</param>
/// <param name="ModeBefore">The mode when it was raised: a self-clearing condition only returns to this.</param>
public sealed record SafetyCondition(ReasonCode Reason, SafetyMode Level, DateTimeOffset RaisedAt, SafetyMode ModeBefore);

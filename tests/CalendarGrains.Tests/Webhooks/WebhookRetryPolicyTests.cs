using CalendarGrains.Webhooks;

namespace CalendarGrains.Tests.Webhooks;

public sealed class WebhookRetryPolicyTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NextAttempt_FollowsTheScheduleThenRepeatsTheLastStep()
    {
        var policy = new WebhookRetryPolicy(new WebhookOptions { Jitter = 0 });

        var delays = Enumerable.Range(1, 8).Select(n => policy.NextAttempt(n, Start, Start, 0.5)!.Value - Start).ToList();

        TimeSpan[] expected = [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10),
            TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromHours(1)];
        Assert.Equal(expected, delays);
    }

    [Theory]
    [InlineData(0.0, 24)]
    [InlineData(0.999999, 36)]
    public void NextAttempt_JittersWithinTheConfiguredFraction(double random, int expectedSeconds)
    {
        var policy = new WebhookRetryPolicy(new WebhookOptions { Jitter = 0.2 });

        var delay = policy.NextAttempt(2, Start, Start, random)!.Value - Start;

        Assert.Equal(expectedSeconds, delay.TotalSeconds, precision: 3);
    }

    [Fact]
    public void NextAttempt_PastTheRetentionWindow_GivesUp()
    {
        var policy = new WebhookRetryPolicy(new WebhookOptions { Jitter = 0 });
        var firstEnqueued = Start - TimeSpan.FromHours(71.5);

        Assert.Null(policy.NextAttempt(40, Start, firstEnqueued, 0.5));
        Assert.Equal(Start + TimeSpan.FromMinutes(10), policy.NextAttempt(4, Start, firstEnqueued, 0.5));
        Assert.Equal(firstEnqueued + TimeSpan.FromHours(72), policy.Deadline(firstEnqueued));
    }

    [Fact]
    public void Validator_RefusesARetentionUnderTheContractsDay_AndNamesTheSetting()
    {
        var result = new WebhookOptionsValidator().Validate(null, new WebhookOptions { Retention = TimeSpan.FromHours(2), RetryDelays = [TimeSpan.Zero] });

        Assert.True(result.Failed);
        Assert.Contains("Webhooks:Retention", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Webhooks:RetryDelays", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new WebhookOptionsValidator().Validate(null, new WebhookOptions()).Succeeded);
    }
}

namespace CalendarGrains.Tenants;

/// <summary>The tenant secrets that can be rotated: both are shared with a party that must be updated after us.</summary>
public enum RotatableSecret
{
    /// <summary>Signs our webhooks; the tenant's receiver verifies with it.</summary>
    WebhookSecret,

    /// <summary>Vapi sends it back in <c>X-Vapi-Secret</c>; it sits in the tenant's Vapi server URL settings and tool definitions.</summary>
    VapiServerSecret,
}

/// <summary>A new secret, shown this once, and until when the one it replaced still works.</summary>
[GenerateSerializer, Immutable, Alias("cg.SecretRotated")]
public sealed record SecretRotated(
    [property: Id(0)] string Secret,
    [property: Id(1)] DateTimeOffset PreviousValidUntil)
{
    /// <summary>
    /// How long the replaced secret keeps working: webhooks are signed with both (Standard Webhooks
    /// allows several signatures, so a receiver on either secret verifies), and Vapi's messages are
    /// accepted with either, so the tenant can update its side without losing anything in between.
    /// Rotating again ends the previous grace at once: only the last replaced secret is kept.
    /// </summary>
    public static readonly TimeSpan Grace = TimeSpan.FromHours(24);

    public override string ToString() => $"SecretRotated(previous valid until {PreviousValidUntil:O})";
}

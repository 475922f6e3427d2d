namespace CalendarGrains.Google;

/// <summary>A tenant's OAuth client at Google, opened for one use.</summary>
public sealed record GoogleClientCredentials(string ClientId, string ClientSecret)
{
    public override string ToString() => $"GoogleClientCredentials({ClientId})";
}

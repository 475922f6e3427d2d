using CalendarGrains.Silo.Auth;

namespace CalendarGrains.Silo.WebConsole;

/// <summary>An operator's page: for a tenant session it does not exist (404, as admin routes of the API are to it).</summary>
public abstract class AdminPage : ConsolePage
{
    protected override void OnInitialized()
    {
        if (!User.IsAdmin())
        {
            NotFound();
        }
    }
}

namespace CalendarGrains.Silo.Connections.Pages;

/// <summary>Who gets a page: a browser (it asks for <c>text/html</c>); an API client keeps problem+json.</summary>
public static class EndUserPages
{
    public static bool PrefersHtml(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        return accept.Any(type => type.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) && !(type.Quality <= 0));
    }

    public static EndUserPageResult Page(EndUserPage page) => new(page);
}

using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Validation;

// Note: the validation engine's public surface is marked experimental in .NET 10 (ASP0029). It is
// the engine the minimal API validates with; using it here keeps one set of rules. This file is
// the one place to adapt if it changes.
#pragma warning disable ASP0029

namespace CalendarGrains.Silo.Validation;

/// <summary>
/// Validates a request record with the very rules the minimal API applies to it (the generated
/// <see cref="ValidationOptions"/> resolvers), for callers that are not endpoints, e.g. the console's forms.
/// </summary>
public sealed class RequestValidation(IOptions<ValidationOptions> options, IServiceProvider services)
{
    /// <summary>The errors by member path (<c>Google.ClientId</c>); empty when the value is valid.</summary>
    public async Task<IReadOnlyDictionary<string, string[]>> ValidateAsync<T>(T value, CancellationToken cancellationToken)
        where T : notnull
    {
        if (!options.Value.TryGetValidatableTypeInfo(typeof(T), out var info))
        {
            throw new InvalidOperationException($"No validation rules are generated for {typeof(T).Name}: it must be a parameter of an endpoint.");
        }

        var context = new ValidateContext
        {
            ValidationOptions = options.Value,
            ValidationContext = new ValidationContext(value, services, items: null),
        };
        await info.ValidateAsync(value, context, cancellationToken);
        return context.ValidationErrors ?? new Dictionary<string, string[]>();
    }
}

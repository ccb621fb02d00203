using System.Text.RegularExpressions;
using Challenge.Contracts.Customers;
using Challenge.ApiConventions;
using Challenge.Contracts.Validation;

namespace Challenge.CustomersApi.Customers;

/// <summary>
/// The body of <c>POST</c> and <c>PUT /customers</c>; every field is checked by <see cref="Validate"/>. A <c>PUT</c>
/// replaces the customer: a field left out (<c>phone</c>, <c>limits</c>) is cleared (no phone, the default limits).
/// </summary>
public sealed partial record CustomerRequest(string? Name, string? Email, string? Phone, CustomerLimits? Limits)
{
    public const int MaxNameLength = 200;
    public const int MaxEmailLength = 254;
    public const int MaxPhoneLength = 32;

    /// <summary>
    /// Checks every field and returns the values to store, which are the values checked: trimmed, NFC (an e-mail's
    /// uniqueness is judged on that form), free of control and format characters, an empty phone meaning none.
    /// </summary>
    public CustomerFields Validate(ValidationErrors errors)
    {
        var name = UserText.Read(Name, "name", errors);
        if (string.IsNullOrEmpty(name))
        {
            errors.Add("name", "name is required.");
        }
        else if (name.Length > MaxNameLength)
        {
            errors.Add("name", $"name must be at most {MaxNameLength} characters.");
        }

        var email = UserText.Read(Email, "email", errors);
        if (string.IsNullOrEmpty(email))
        {
            errors.Add("email", "email is required.");
        }
        else if (email.Length > MaxEmailLength || !EmailPattern().IsMatch(email))
        {
            errors.Add("email", $"email must be a valid address of at most {MaxEmailLength} characters.");
        }

        var phone = string.IsNullOrWhiteSpace(Phone) ? null : UserText.Read(Phone, "phone", errors);
        if (phone is not null && (phone.Length > MaxPhoneLength || !PhonePattern().IsMatch(phone)))
        {
            errors.Add("phone", $"phone must be at most {MaxPhoneLength} characters of digits, spaces and + - ( ).");
        }
        var limits = Limits ?? CustomerLimits.Defaults;
        if (limits.OpenOrders is < 0 or > CustomerLimits.MaxOpenOrders)
        {
            errors.Add("limits.open_orders", $"limits.open_orders must be a whole number from 0 to {CustomerLimits.MaxOpenOrders:N0}, or null for the default.");
        }
        if (limits.ReservedUnits is < 0 or > CustomerLimits.MaxReservedUnits)
        {
            errors.Add("limits.reserved_units", $"limits.reserved_units must be a whole number from 0 to {CustomerLimits.MaxReservedUnits:N0}, or null for the default.");
        }
        return new(name ?? "", email ?? "", phone, limits);
    }

    // One '@', no spaces, a dot in the domain, 64 characters at most before the '@' (RFC 5321).
    [GeneratedRegex(@"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^[0-9 +\-()]*[0-9][0-9 +\-()]*$")]
    private static partial Regex PhonePattern();
}

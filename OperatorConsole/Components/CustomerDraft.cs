using System.Globalization;
using Challenge.OperatorConsole.Apis;
using Challenge.OperatorConsole.Apis.Models;

namespace Challenge.OperatorConsole.Components;

/// <summary>A customer's fields as typed in a form, and the body of <c>POST</c> or <c>PUT /customers</c> they make.</summary>
public sealed class CustomerDraft
{
    public string? Name { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }

    /// <summary>Open CREATED orders its clients may hold; blank: the Orders API's default.</summary>
    public string? OpenOrders { get; set; }

    /// <summary>Units those orders may reserve; blank: the Orders API's default.</summary>
    public string? ReservedUnits { get; set; }

    public static CustomerDraft Of(Customer customer) => new()
    {
        Name = customer.Name,
        Email = customer.Email,
        Phone = customer.Phone,
        OpenOrders = customer.Limits.OpenOrders?.ToString(CultureInfo.InvariantCulture),
        ReservedUnits = customer.Limits.ReservedUnits?.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The body (a PUT replaces every field, the limits included), or what is not a number.</summary>
    public (object? Body, ApiProblem? Problem) Body()
    {
        var (openOrders, reservedUnits, problem) = Numbers.Read(("limits.open_orders", OpenOrders), ("limits.reserved_units", ReservedUnits));
        return problem is not null
            ? (null, problem)
            : (new { name = Name, email = Email, phone = Phone, limits = new { open_orders = openOrders, reserved_units = reservedUnits } }, null);
    }
}

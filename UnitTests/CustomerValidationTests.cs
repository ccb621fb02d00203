using Challenge.Contracts.Customers;
using Challenge.CustomersApi.Customers;
using Challenge.Contracts.Validation;

namespace Challenge.UnitTests;

public sealed class CustomerValidationTests
{
    private static (CustomerFields Fields, bool Valid) Validate(string? name, string? email, string? phone = null, CustomerLimits? limits = null)
    {
        var errors = new ValidationErrors();
        var fields = new CustomerRequest(name, email, phone, limits).Validate(errors);
        return (fields, errors.IsEmpty);
    }

    [Fact]
    public void AValidCustomerIsTrimmed()
    {
        var (fields, valid) = Validate("  ACME  ", " ops@acme.com ", " +1 (555) 010 ");

        Assert.True(valid);
        Assert.Equal(new CustomerFields("ACME", "ops@acme.com", "+1 (555) 010", CustomerLimits.Defaults), fields);
    }

    [Theory]
    [InlineData("ops@acme.com")]
    [InlineData("first.last+tag@sub.example.co.uk")]
    [InlineData("o'neil@example.ie")]
    public void CommonAddressesAreAccepted(string email) => Assert.True(Validate("A", email).Valid);

    [Theory]
    [InlineData("plain")]
    [InlineData("@example.com")]
    [InlineData("a@")]
    [InlineData("a@b")]
    [InlineData("a@@b.com")]
    [InlineData("a b@c.com")]
    [InlineData("a@b..com")]
    public void MalformedAddressesAreRefused(string email) => Assert.False(Validate("A", email).Valid);

    [Fact]
    public void TheLengthLimitsAreInclusive()
    {
        var localPart = new string('l', 64);
        var email = $"{localPart}@{new string('d', 254 - 64 - 1 - 4)}.com";
        Assert.Equal(254, email.Length);

        Assert.True(Validate(new string('n', 200), email, new string('1', 32)).Valid);
        Assert.False(Validate(new string('n', 201), "a@b.co").Valid);
        Assert.False(Validate("A", "x" + email).Valid);
        Assert.False(Validate("A", "a@b.co", new string('1', 33)).Valid);
    }

    [Theory]
    [InlineData("+1234567890", true)]
    [InlineData("(555) 010-0000", true)]
    [InlineData("---", false)]
    [InlineData("555 CALL NOW", false)]
    public void APhoneIsDigitsWithSpacesPlusDashesAndParentheses(string phone, bool valid) =>
        Assert.Equal(valid, Validate("A", "a@b.co", phone).Valid);

    [Theory]
    [InlineData(0, 0L, true)]
    [InlineData(100_000, 1_000_000_000L, true)]
    [InlineData(null, 5L, true)]
    [InlineData(-1, null, false)]
    [InlineData(100_001, null, false)]
    [InlineData(null, -1L, false)]
    [InlineData(null, 1_000_000_001L, false)]
    public void ACustomersOwnLimitsAreWholeNumbersInRangeOrNullForTheDefault(int? openOrders, long? reservedUnits, bool valid) =>
        Assert.Equal(valid, Validate("A", "a@b.co", limits: new CustomerLimits(openOrders, reservedUnits)).Valid);
}

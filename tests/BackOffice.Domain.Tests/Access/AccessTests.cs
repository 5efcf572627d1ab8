using BackOffice.Domain.Access;

namespace BackOffice.Domain.Tests.Access;

public sealed class AccessTests
{
    [Fact]
    public void A_password_verifies_against_its_own_hash_only()
    {
        string stored = Passwords.Hash("correct horse battery", iterations: 1_000);
        Assert.StartsWith("pbkdf2-sha256$1000$", stored, StringComparison.Ordinal);
        Assert.True(Passwords.Verify("correct horse battery", stored));
        Assert.False(Passwords.Verify("correct horse batterY", stored));
        // Salted: the same password hashes differently each time.
        Assert.NotEqual(stored, Passwords.Hash("correct horse battery", iterations: 1_000));
        Assert.False(Passwords.Verify("anything", "md5$abc"));
    }

    [Fact]
    public void Keys_are_random_and_stored_as_their_hash()
    {
        (string key, ApiKey stored) = ApiKeys.Create("oms");
        (string other, _) = ApiKeys.Create("oms");
        Assert.NotEqual(key, other);
        Assert.Matches("^bo_[0-9a-f]{64}$", key);
        Assert.Equal(ApiKeys.HashOf(key), stored.Hash);
        Assert.StartsWith(stored.Prefix, key, StringComparison.Ordinal);
        Assert.DoesNotContain(key[20..], stored.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_role_has_a_name_that_parses_back_and_only_administrators_manage_users()
    {
        foreach (Role role in Roles.All)
        {
            Assert.Equal(role, Roles.Parse(Roles.Name(role)));
            Assert.Equal(role == Role.Administrator, Roles.Grants(role, Permission.UsersManage));
        }
        Assert.Null(Roles.Parse("superuser"));
        Assert.False(Roles.Grants(Role.Auditor, Permission.TradesSubmit));
        Assert.False(Roles.Grants(Role.OperationsChecker, Permission.TradesSubmit));
    }

    [Theory]
    [InlineData("ops.jane", true)]
    [InlineData("oms@firm", true)]
    [InlineData("", false)]
    [InlineData("jane doe", false)]
    [InlineData("jane,doe", false)]
    public void User_names_are_plain(string name, bool valid) => Assert.Equal(valid, User.Check(name, "Jane") is null);
}

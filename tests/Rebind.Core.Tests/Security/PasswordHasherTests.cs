using Rebind.Core.Security;

namespace Rebind.Core.Tests.Security;

public sealed class PasswordHasherTests
{
    private readonly PasswordHasher fast = PasswordHasher.ForTests(1_000);

    [Fact]
    public void Constructor_Default_Uses600000Iterations()
    {
        Assert.Equal(600_000, new PasswordHasher().Iterations);
    }

    [Fact]
    public void Constructor_BelowMinimum_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PasswordHasher(599_999));
    }

    [Fact]
    public void Hash_Default_SelfDescribingFormatWith600000AndVerifies()
    {
        var hasher = new PasswordHasher();

        var hash = hasher.Hash("river7stone");

        var parts = hash.Split('$');
        Assert.Equal(("pbkdf2-sha256", "600000"), (parts[0], parts[1]));
        Assert.Equal((16, 32), (Convert.FromBase64String(parts[2]).Length, Convert.FromBase64String(parts[3]).Length));
        Assert.True(hasher.Verify("river7stone", hash));
    }

    [Fact]
    public void Verify_WrongPassword_False()
    {
        var hash = fast.Hash("river7stone");

        Assert.False(fast.Verify("river7stonE", hash));
    }

    [Fact]
    public void Hash_SamePasswordTwice_DifferentSalts()
    {
        Assert.NotEqual(fast.Hash("river7stone"), fast.Hash("river7stone"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("pbkdf2-sha256$abc$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==")]
    [InlineData("bcrypt$1000$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==")]
    [InlineData("pbkdf2-sha256$1000$!!!$aGFzaA==")]
    [InlineData("pbkdf2-sha256$99999999$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==")]
    public void Verify_MalformedHash_False(string encoded)
    {
        Assert.False(fast.Verify("river7stone", encoded));
        Assert.False(PasswordHasher.IsWellFormed(encoded));
    }

    [Fact]
    public void NeedsRehash_LowerIterations_True_SameSettings_False()
    {
        var weak = fast.Hash("river7stone");
        var strong = PasswordHasher.ForTests(2_000);

        Assert.True(strong.NeedsRehash(weak));
        Assert.False(fast.NeedsRehash(weak));
        Assert.True(fast.NeedsRehash("garbage"));
    }
}

public sealed class PasswordNormalizationTests
{
    private static readonly PasswordHasher Fast = PasswordHasher.ForTests(1_000);

    [Fact]
    public void Verify_FullWidthAndAsciiForms_SamePassword()
    {
        var hash = Fast.Hash("ｒｉｖｅｒ７ｓｔｏｎｅ");

        Assert.Equal(PasswordCheck.Succeeded, Fast.Check("river7stone", hash));
        Assert.True(Fast.Verify("ｒｉｖｅｒ７ｓｔｏｎｅ", hash));
    }

    [Fact]
    public void Check_HashStoredBeforeNormalization_SucceedsAndAsksForRehash()
    {
        var salt = new byte[16];
        var key = System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(
            System.Text.Encoding.UTF8.GetBytes("ｒｉｖｅｒ７ｓｔｏｎｅ"), salt, 1000, System.Security.Cryptography.HashAlgorithmName.SHA256, 32);
        var legacy = $"pbkdf2-sha256$1000${Convert.ToBase64String(salt)}${Convert.ToBase64String(key)}";

        Assert.Equal(PasswordCheck.SucceededRehashNeeded, Fast.Check("ｒｉｖｅｒ７ｓｔｏｎｅ", legacy));
        Assert.Equal(PasswordCheck.Failed, Fast.Check("river7stonf", legacy));
    }

    [Fact]
    public void Check_RightPasswordLowerWorkFactor_AsksForRehash()
    {
        var strong = new PasswordHasher(700_000);
        var hash = new PasswordHasher().Hash("river7stone");

        Assert.Equal(PasswordCheck.SucceededRehashNeeded, strong.Check("river7stone", hash));
    }
}

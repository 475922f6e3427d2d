using System.Net;
using CalendarGrains.Security;

namespace CalendarGrains.Tests.Security;

/// <summary>Issue 17.6: the one address policy for URLs tenants give, IPv4 and IPv6 and the IPv6 forms that carry IPv4.</summary>
public sealed class OutboundAddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")] // AWS, GCP, Azure metadata
    [InlineData("100.100.100.200")] // Alibaba metadata (shared address space)
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("198.18.0.1")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd00:ec2::254")] // AWS IPv6 metadata
    [InlineData("fc00::1")]
    [InlineData("ff02::1")]
    [InlineData("fec0::1")]
    [InlineData("::ffff:127.0.0.1")] // IPv4-mapped
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::127.0.0.1")] // IPv4-compatible
    [InlineData("64:ff9b::a9fe:a9fe")] // NAT64 of 169.254.169.254
    [InlineData("2002:7f00:1::")] // 6to4 of 127.0.0.1
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")] // Teredo
    [InlineData("2001:db8::1")]
    public void IsPublic_InternalAddresses_AreRefused(string address) =>
        Assert.False(OutboundAddressPolicy.IsPublic(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("93.184.216.34")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")] // NAT64 of 8.8.8.8
    [InlineData("2002:808:808::1")] // 6to4 of 8.8.8.8
    public void IsPublic_PublicAddresses_AreAllowed(string address) =>
        Assert.True(OutboundAddressPolicy.IsPublic(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::ffff:169.254.169.254]/")]
    [InlineData("http://[fd00:ec2::254]/")]
    [InlineData("http://2130706433/")] // 127.0.0.1 as one number
    [InlineData("http://0x7f000001/")]
    [InlineData("http://0177.0.0.1/")]
    [InlineData("http://127.1/")]
    [InlineData("http://localhost:8080/hooks")]
    [InlineData("http://LOCALHOST./hooks")]
    [InlineData("http://hooks.localhost/")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("http://printer.local/")]
    public void IsAllowedUrl_InternalTargets_AreRefused(string url) =>
        Assert.False(OutboundAddressPolicy.IsAllowedUrl(new Uri(url)), url);

    [Theory]
    [InlineData("https://hooks.acme.example/calendargrains")]
    [InlineData("https://8.8.8.8/hooks")]
    [InlineData("https://[2606:4700:4700::1111]/hooks")]
    public void IsAllowedUrl_PublicTargets_AreAllowed(string url) =>
        Assert.True(OutboundAddressPolicy.IsAllowedUrl(new Uri(url)), url);
}

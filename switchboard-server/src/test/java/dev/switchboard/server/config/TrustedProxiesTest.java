package dev.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
    static InetAddress ip(String s) {
        return TrustedProxies.parseLiteral(s);
    }

    @Test
    void addressesAndCidrRangesOfBothFamilies() {
        TrustedProxies p = TrustedProxies.parse(" 10.0.0.0/8, 192.168.1.7 ,::1, 2001:db8::/33");
        assertThat(p.contains(ip("10.255.1.2"))).isTrue();
        assertThat(p.contains(ip("11.0.0.1"))).isFalse();
        assertThat(p.contains(ip("192.168.1.7"))).isTrue();
        assertThat(p.contains(ip("192.168.1.8"))).isFalse();
        assertThat(p.contains(ip("::1"))).isTrue();
        assertThat(p.contains(ip("2001:db8:7fff::1"))).isTrue();
        assertThat(p.contains(ip("2001:db8:8000::1"))).isFalse();
        assertThat(TrustedProxies.parse("").isEmpty()).isTrue();
    }

    @Test
    void hostNamesAndBadPrefixesAreRefusedWithoutAskingDns() {
        assertThat(ip("localhost")).isNull();
        assertThat(ip("abc")).isNull();
        assertThat(ip("1.2.3.256")).isNull();
        assertThatThrownBy(() -> TrustedProxies.parse("proxy.example.com"))
                .hasMessageContaining("'proxy.example.com' is not an IP address");
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/33")).hasMessageContaining("bad prefix length");
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--trusted-proxies=10.0.0.0/x"}, Map.of()))
                .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("trusted_proxies");
    }
}

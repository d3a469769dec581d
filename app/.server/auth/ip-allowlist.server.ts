import ipaddr from "ipaddr.js";

/**
 * CIDR allow-lists (IPv4 and IPv6) with ipaddr.js. A bare address is a
 * single-host range. IPv4-mapped IPv6 client addresses match IPv4 ranges.
 */
export function normaliseCidr(entry: string): string | null {
  const value = entry.trim();
  try {
    if (value.includes("/")) {
      const [addr, bits] = ipaddr.parseCIDR(value);
      // Canonical form of the network itself, e.g. 10.1.2.3/8 -> 10.0.0.0/8.
      const network = addr.kind() === "ipv4" ? ipaddr.IPv4.networkAddressFromCIDR(value) : ipaddr.IPv6.networkAddressFromCIDR(value);
      return `${network.toString()}/${bits}`;
    }
    const addr = ipaddr.parse(value);
    return `${addr.toString()}/${addr.kind() === "ipv4" ? 32 : 128}`;
  } catch {
    return null;
  }
}

function parseClient(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  try {
    const addr = ipaddr.parse(ip.trim());
    if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
      return (addr as ipaddr.IPv6).toIPv4Address();
    }
    return addr;
  } catch {
    return null;
  }
}

/** Empty list: no restriction. Unknown client IP with a list: not allowed. */
export function ipAllowed(clientIp: string | null, allowlist: readonly string[]): boolean {
  if (allowlist.length === 0) return true;
  if (!clientIp) return false;
  const addr = parseClient(clientIp);
  if (!addr) return false;
  return allowlist.some((cidr) => {
    try {
      const range = ipaddr.parseCIDR(cidr);
      return addr.kind() === range[0].kind() && addr.match(range);
    } catch {
      return false;
    }
  });
}

export function parseStoredAllowlist(json: string): string[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

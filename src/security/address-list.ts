import net from 'node:net';

/** Sockets report IPv4 peers on dual-stack listeners as ::ffff:a.b.c.d. */
export function normalizeSourceAddress(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}

/** Whether an address is one of the listed addresses or inside one of the listed CIDR ranges. */
export function addressInList(address: string, list: readonly string[]): boolean {
  const ip = normalizeSourceAddress(address);
  const family = net.isIP(ip);
  if (!family) return false;
  const blocks = new net.BlockList();
  for (const entry of list) {
    const [base, prefix] = entry.split('/');
    const entryFamily = net.isIP(base ?? '');
    if (!entryFamily) continue;
    const type = entryFamily === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) blocks.addAddress(base!, type);
    else blocks.addSubnet(base!, Number(prefix), type);
  }
  return blocks.check(ip, family === 6 ? 'ipv6' : 'ipv4');
}

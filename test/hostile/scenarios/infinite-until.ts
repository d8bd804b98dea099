export default { name: 'i', protocol: 'raft', nodes: 3, until: Infinity };

export default { name: 'f', protocol: 'raft', nodes: () => 3, until: '2s' };

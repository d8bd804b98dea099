export default { name: 'b', protocol: 'raft', nodes: 3, until: '2s', seed: 7n };

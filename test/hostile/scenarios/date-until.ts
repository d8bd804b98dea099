export default { name: 'd', protocol: 'raft', nodes: 3, until: new Date(0) };

let v: any = 1; for (let i = 0; i < 100000; i++) v = { a: v };
export default { name: 'd', protocol: 'raft', nodes: 3, until: '2s', config: v };

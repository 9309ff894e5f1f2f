// The dashboard's assets are imported as text (`with { type: "text" }`) so they ship inside the
// binary.
declare module "*.css" {
  const text: string;
  export default text;
}
declare module "*/live.js" {
  const text: string;
  export default text;
}

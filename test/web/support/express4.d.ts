// Express 4 is installed under the alias express4, beside Express 5; its API is the same where the tests use it.
declare module "express4" {
  import express from "express";
  export default express;
}
